package dev.caravan.destination;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import java.util.function.Function;

/**
 * Beans that a destination's route template refers to by name ({@code #caravan-s3-primary-1a2b-client}).
 * Names carry the destination's identity so two destinations, or two configurations of one after a
 * reload, never share a client.
 */
public final class RouteBeans {
    private RouteBeans() {
    }

    /** A registry name unique to {@code owner}: {@code caravan-<kind>-<name>-<hash>-<what>}. */
    public static String name(Destination owner, String kind, String what) {
        return "caravan-" + kind + "-" + owner.name() + "-" + Integer.toHexString(System.identityHashCode(owner)) + "-" + what;
    }

    /** Binds {@code bean} under {@code name} and returns the name. */
    public static String bind(CamelContext camel, String name, Object bean) {
        camel.getRegistry().bind(name, bean);
        return name;
    }

    /** A step that sets {@code header} to {@code prefix + CaravanKey}: the object's full name on the destination. */
    public static Processor nameObject(String header, String prefix) {
        return ex -> ex.getIn().setHeader(header, prefix + ex.getIn().getHeader(Destination.KEY_HEADER, String.class));
    }

    /**
     * The dead-letter step of a destination route: rethrows the last failure, once retries are spent, as one sentence naming the destination,
     * e.g. {@code s3 'primary': access denied to bucket 'backups' (check accessKey/secretKey)}.
     */
    public static Processor failure(Function<Throwable, String> sentence) {
        return ex -> {
            Throwable caught = ex.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
            throw new DestinationException(sentence.apply(caught), caught);
        };
    }

    /** The first line of an SDK's message (many put a request dump after it), for one-sentence errors. */
    public static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** The first cause of {@code t} (itself included) that is a {@code type}, or null. */
    public static <T extends Throwable> T cause(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }
}
