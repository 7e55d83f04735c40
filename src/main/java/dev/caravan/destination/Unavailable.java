package dev.caravan.destination;

import dev.caravan.model.DestinationSpec;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * Stands in for a destination whose client could not even be made (its kind's factory threw): every
 * read, listing and delete fails with the one sentence saying why, so that listings, retention,
 * {@code status} and {@code /health} report it like any unreachable destination, and a run records it
 * as failed while the plan's other destinations get their copy.
 */
public final class Unavailable implements Destination {
    /** How long a failed attempt stands before the destination is made again (each attempt may log, or wait on a network). */
    private static final long RETRY_AFTER_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(30);

    private final DestinationSpec spec;
    private final String reason;
    private final long madeAt = System.nanoTime();

    public Unavailable(DestinationSpec spec, String reason) {
        this.spec = spec;
        this.reason = reason;
    }

    /** Whether it is time to try making the real destination again. */
    public boolean stale() {
        return System.nanoTime() - madeAt > RETRY_AFTER_NANOS;
    }

    /** Why it could not be made: one sentence naming it. */
    public String reason() {
        return reason;
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public String describe() {
        return spec.kind() + " '" + spec.name() + "'";
    }

    @Override
    public String sentence(Throwable t) {
        return reason;
    }

    @Override
    public String routeTemplate() {
        throw new IllegalStateException(reason);
    }

    @Override
    public Map<String, Object> templateParameters() {
        throw new IllegalStateException(reason);
    }

    @Override
    public InputStream open(String key) throws IOException {
        throw new DestinationException(reason, null);
    }

    @Override
    public List<StoredObject> list(String prefix) throws IOException {
        throw new DestinationException(reason, null);
    }

    @Override
    public void delete(String key) throws IOException {
        throw new DestinationException(reason, null);
    }
}
