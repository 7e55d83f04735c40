package dev.caravan.testing;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelContextTracker;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Lets a test act at the moment Caravan's one write path ({@code pipeline/Fanout}) hands an object to a
 * destination's route, or gets its answer: "cut the SFTP cable when the manifest is about to go to
 * offsite", "flip a bit in the object just stored at nas, before it is read back". It watches, through
 * Camel's own {@link CamelContextTracker} and event notifier, every Camel context the JVM creates (the
 * command line makes one per verb), and fires each armed action once. Nothing in the product knows about
 * it; the faults themselves are real (a refused connection, a changed byte on disk).
 */
public final class SendHooks {
    /** When, relative to the send of one object to one destination's route. */
    public enum When { SENDING, SENT }

    /** Which object and destination, and what to do. */
    private record Hook(When when, Predicate<String> key, String destination, Action action) {
    }

    @FunctionalInterface
    public interface Action {
        void run(String key) throws Exception;
    }

    private static final List<Hook> HOOKS = new CopyOnWriteArrayList<>();
    private static CamelContextTracker tracker;

    private SendHooks() {
    }

    /** Starts watching the Camel contexts made from now on (once per JVM). */
    public static synchronized void install() {
        if (tracker != null) {
            return;
        }
        tracker = new CamelContextTracker() {
            @Override
            public void contextCreated(CamelContext camel) {
                camel.getManagementStrategy().addEventNotifier(new Notifier());
            }
        };
        tracker.open();
    }

    /** Arms {@code action} to run once, in the sender's thread, when an object whose key matches goes to (or came back from) {@code destination}. */
    public static void once(When when, String destination, Predicate<String> key, Action action) {
        install();
        HOOKS.add(new Hook(when, key, destination, action));
    }

    /** Disarms every hook that has not fired. */
    public static void clear() {
        HOOKS.clear();
    }

    /** The destination name of a publishing route's endpoint ({@code seda://caravan-<plan>-to-<destination>?...}). */
    private static String destinationOf(String uri) {
        int to = uri.indexOf("-to-");
        if (!uri.startsWith("seda:") || !uri.contains("caravan-") || to < 0) {
            return null;
        }
        int q = uri.indexOf('?', to);
        return uri.substring(to + 4, q < 0 ? uri.length() : q);
    }

    private static final class Notifier extends EventNotifierSupport {
        @Override
        public void notify(CamelEvent event) throws Exception {
            When when;
            Exchange ex;
            String uri;
            if (event instanceof CamelEvent.ExchangeSendingEvent s) {
                when = When.SENDING;
                ex = s.getExchange();
                uri = s.getEndpoint().getEndpointUri();
            } else if (event instanceof CamelEvent.ExchangeSentEvent s) {
                when = When.SENT;
                ex = s.getExchange();
                uri = s.getEndpoint().getEndpointUri();
            } else {
                return;
            }
            String destination = destinationOf(uri);
            String key = ex.getIn().getHeader("CaravanKey", String.class);
            if (destination == null || key == null) {
                return;
            }
            for (Hook h : HOOKS) {
                if (h.when() == when && h.destination().equals(destination) && h.key().test(key) && HOOKS.remove(h)) {
                    h.action().run(key);
                }
            }
        }
    }
}
