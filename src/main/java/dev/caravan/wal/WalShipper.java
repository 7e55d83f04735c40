package dev.caravan.wal;

import dev.caravan.io.Failures;
import dev.caravan.model.Plan;
import dev.caravan.pipeline.Engine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Ships the files of one source's {@link WalSpool}, several at once ({@code walParallel}), each through
 * {@link WalPusher} (the one write path: compress and encrypt by {@code Packer}, store at every
 * destination by {@code Fanout}, read each copy back). A file leaves the spool only when every
 * destination holds it verified; a file that failed somewhere stays and is tried again after a pause
 * that grows from 2 s to a minute (all destinations again: a copy that arrived is simply rewritten).
 *
 * <p>{@link #poll} starts what is waiting and returns at once (the service calls it a few times a
 * second); {@link #drain} ships until the spool is empty or only failing files are left. Whoever ships
 * holds the spool's lock ({@link WalSpool#tryLockShipper}), taken by the caller.
 */
public final class WalShipper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WalShipper.class);
    static final Duration FIRST_RETRY = Duration.ofSeconds(2);
    static final Duration LAST_RETRY = Duration.ofMinutes(1);

    private final Engine engine;
    private final Supplier<Plan> plan;
    private final String source;
    private final WalSpool spool;
    private final int parallel;
    private final ExecutorService pool;
    private final Map<String, Boolean> inFlight = new ConcurrentHashMap<>();
    private final Map<String, Retry> failing = new ConcurrentHashMap<>();

    private record Retry(long notBefore, Duration pause, String why) {
    }

    /** @param plan the plan as it is now (the service's reloads replace it) */
    public WalShipper(Engine engine, Supplier<Plan> plan, String source, WalSpool spool, int parallel) {
        this.engine = engine;
        this.plan = plan;
        this.source = source;
        this.spool = spool;
        this.parallel = parallel;
        this.pool = Executors.newFixedThreadPool(parallel, r -> {
            Thread t = new Thread(r, "caravan-wal-ship-" + source);
            t.setDaemon(true);
            return t;
        });
    }

    public WalSpool spool() {
        return spool;
    }

    /** Starts shipping the waiting files, up to {@code walParallel} at once; returns how many are in flight. */
    public int poll() throws IOException {
        long now = System.nanoTime();
        for (Path f : spool.ready()) {
            if (inFlight.size() >= parallel) {
                break;
            }
            String name = f.getFileName().toString();
            Retry r = failing.get(name);
            if (r != null && now < r.notBefore()) {
                continue;
            }
            if (inFlight.putIfAbsent(name, Boolean.TRUE) == null) {
                pool.execute(() -> ship(f, name));
            }
        }
        return inFlight.size();
    }

    /** The files that failed at their last try, with why (one sentence per failing destination). */
    public Map<String, String> failing() {
        Map<String, String> m = new LinkedHashMap<>();
        failing.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> m.put(e.getKey(), e.getValue().why()));
        return m;
    }

    /**
     * Ships until nothing is waiting that has not already failed in this drain; returns the files that
     * failed (each tried once more after a failure only when the service's pause has passed).
     */
    public Map<String, String> drain() throws IOException, InterruptedException {
        failing.clear();
        while (true) {
            int busy = poll();
            if (busy == 0) {
                boolean waiting = spool.ready().stream().anyMatch(p -> !failing.containsKey(p.getFileName().toString()));
                if (!waiting) {
                    return failing();
                }
            }
            Thread.sleep(20);
        }
    }

    private void ship(Path file, String name) {
        try {
            if (!Files.exists(file)) {
                return; // shipped by an earlier shipper that died before it could say so
            }
            Map<String, String> failed;
            try {
                failed = new WalPusher(engine, plan.get(), source).push(file, name);
            } catch (IOException | RuntimeException e) {
                failed = Map.of("spool", "cannot read " + file + ": " + Failures.rootCause(e));
            }
            if (failed.isEmpty()) {
                spool.remove(name);
                failing.remove(name);
                LOG.debug("plan '{}', source '{}': shipped {} from the WAL spool", plan.get().name(), source, name);
                return;
            }
            Retry was = failing.get(name);
            Duration pause = was == null ? FIRST_RETRY : min(was.pause().multipliedBy(2), LAST_RETRY);
            String why = String.join("; ", failed.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList());
            failing.put(name, new Retry(System.nanoTime() + pause.toNanos(), pause, why));
            LOG.warn("plan '{}', source '{}': {} stays in the WAL spool, shipping failed ({}); next try in {} s",
                    plan.get().name(), source, name, why, pause.toSeconds());
        } catch (IOException | RuntimeException e) {
            LOG.warn("plan '{}', source '{}': {}: {}", plan.get().name(), source, name, Failures.rootCause(e));
        } finally {
            inFlight.remove(name);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Stops taking files; waits a little for those in flight (they stay in the spool if cut off). */
    @Override
    public void close() {
        pool.shutdown();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.shutdownNow();
    }
}
