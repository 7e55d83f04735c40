package dev.caravan.pipeline;

import dev.caravan.destination.Destination;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeTimedOutException;
import org.apache.camel.ProducerTemplate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The one write path's fan-out: stores one packed file under one key at several destinations at once,
 * each through its own Camel route ({@code routes/destination-<kind>.yaml}, with that destination's
 * redelivery and timeout), then checks each copy ({@link Destination#verifyUpload}) and returns, per
 * destination, nothing (stored and verified) or one sentence naming it and saying why not.
 *
 * <p>Every object takes it: source objects, file indexes, manifests, run reports, WAL segments and the
 * copies {@code replicate} makes. A destination that could not even be reached when the run began is
 * a {@link Target} with its reason already set, and comes back as that failure like any other: the
 * fan-out never throws for a destination.
 */
public final class Fanout {
    private final Publisher publisher;
    private final ProducerTemplate producer;

    public Fanout(CamelContext camel, Publisher publisher) {
        this.publisher = publisher;
        this.producer = camel.createProducerTemplate();
    }

    /**
     * One destination to store at: its publishing route, or (route null) the sentence that says why it
     * has none (its client or route could not be made).
     */
    public record Target(String name, Destination destination, String routeId, String unavailable) {
        public static Target of(String name, Destination d, String routeId) {
            return new Target(name, d, routeId, null);
        }

        public static Target failed(String name, Destination d, String why) {
            return new Target(name, d, null, why);
        }

        public boolean usable() {
            return unavailable == null;
        }
    }

    /** What to do besides sending. */
    public record Options(boolean verify, boolean mayMove) {
        /** Send and read back. */
        public static final Options VERIFIED = new Options(true, false);
        /** Send only (objects that nothing restores from, e.g. a run report). */
        public static final Options UNVERIFIED = new Options(false, false);
    }

    /**
     * Stores {@code file} under {@code key} at every target in parallel, then verifies each copy that
     * arrived (when {@code options.verify()}). Returns the failures by destination name, in target order;
     * a destination absent from the map holds a good copy. With {@code options.mayMove()} and a single
     * target that takes the spool by a move, the file is moved into place instead of copied.
     */
    public Map<String, String> store(String key, StreamPipe.Spooled file, List<Target> targets, Options options) {
        Map<String, String> failures = new LinkedHashMap<>();
        List<Map.Entry<Target, CompletableFuture<Exchange>>> sent = new ArrayList<>();
        boolean move = options.mayMove() && targets.size() == 1 && targets.get(0).usable()
                && targets.get(0).destination().takesSpoolByMove();
        for (Target t : targets) {
            if (!t.usable()) {
                failures.put(t.name(), t.unavailable());
                continue;
            }
            sent.add(Map.entry(t, producer.asyncSend(publisher.endpoint(t.routeId()), ex -> {
                ex.getIn().setBody(file.file().toFile());
                ex.getIn().setHeader(Destination.KEY_HEADER, key);
                ex.getIn().setHeader(Destination.LENGTH_HEADER, file.bytes());
                if (move) {
                    // the only copy: its route moves the spool into place instead of copying it
                    ex.getIn().setHeader(Exchange.FILE_LOCAL_WORK_PATH, file.file().toString());
                }
            })));
        }
        Map<String, Destination> arrived = new LinkedHashMap<>();
        for (Map.Entry<Target, CompletableFuture<Exchange>> s : sent) {
            Target t = s.getKey();
            Throwable e;
            try {
                e = s.getValue().get().getException();
            } catch (ExecutionException x) {
                e = x.getCause();
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
                e = x;
            }
            if (e == null) {
                arrived.put(t.name(), t.destination());
            } else {
                failures.put(t.name(), failure(t, e));
            }
        }
        if (options.verify()) {
            UploadChecks.run(arrived, key, file.file(), file.bytes(), file.sha256())
                    .forEach((name, problem) -> failures.put(name, "verify after upload: " + problem));
        }
        Map<String, String> ordered = new LinkedHashMap<>();
        targets.stream().filter(t -> failures.containsKey(t.name())).forEach(t -> ordered.put(t.name(), failures.get(t.name())));
        return ordered;
    }

    /** Stores a file that is not from a {@link Packer} spool (a manifest, a report): its size and SHA-256 are taken first. */
    public Map<String, String> store(String key, Path file, List<Target> targets, Options options) {
        StreamPipe.Spooled spooled;
        try {
            spooled = StreamPipe.measure(file);
        } catch (java.io.IOException e) {
            Map<String, String> all = new LinkedHashMap<>();
            String why = "cannot read " + file + ": " + dev.caravan.io.Failures.rootCause(e);
            targets.forEach(t -> all.put(t.name(), why));
            return all;
        }
        return store(key, spooled, targets, options);
    }

    private String failure(Target t, Throwable e) {
        if (e instanceof ExchangeTimedOutException) {
            return t.destination().sentence(new TimeoutException(publisher.failure(t.routeId(), e)));
        }
        return t.destination().sentence(e);
    }
}
