package dev.caravan.service;

import dev.caravan.alert.Alerts;
import dev.caravan.io.Failures;
import dev.caravan.model.Config;
import dev.caravan.model.Plan;
import dev.caravan.model.SourceSpec;
import dev.caravan.pipeline.Engine;
import dev.caravan.wal.WalShipper;
import dev.caravan.wal.WalSpool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileLock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The service's side of asynchronous WAL archiving: for every continuous postgres source with
 * {@code walSpool}, holds the spool's shipper lock and lets a {@link WalShipper} ship what arrives,
 * looking {@link #EVERY_MILLIS} times a second; reports the spool's depth to {@link Metrics} and raises
 * the {@code wal-spool} alert when the spool is {@link WalSpool#ALERT_AT} full or more. Follows the
 * running configuration (plans and sources added or removed by a reload).
 */
final class WalShipping implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WalShipping.class);
    static final long EVERY_MILLIS = 200;

    private final Engine engine;
    private final Supplier<Config> config;
    private final Alerts alerts;
    private final Metrics metrics;
    private final Map<String, Shipping> running = new HashMap<>();
    private final Set<String> lockedElsewhere = new HashSet<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "caravan-wal-spool");
        t.setDaemon(true);
        return t;
    });

    private record Shipping(WalShipper shipper, FileLock lock) {
    }

    private WalShipping(Engine engine, Supplier<Config> config, Alerts alerts, Metrics metrics) {
        this.engine = engine;
        this.config = config;
        this.alerts = alerts;
        this.metrics = metrics;
    }

    /** Starts shipping every WAL spool of the configuration (nothing runs when no source has one). */
    static WalShipping start(Engine engine, Supplier<Config> config, Alerts alerts, Metrics metrics) {
        WalShipping s = new WalShipping(engine, config, alerts, metrics);
        s.timer.scheduleWithFixedDelay(s::tick, 0, EVERY_MILLIS, TimeUnit.MILLISECONDS);
        return s;
    }

    private void tick() {
        Set<String> wanted = new HashSet<>();
        for (Plan p : config.get().plans()) {
            for (SourceSpec s : p.sources()) {
                WalSpool spool = WalSpool.of(s).orElse(null);
                if (spool == null) {
                    continue;
                }
                String key = p.name() + "/" + s.name() + "@" + spool.dir() + "#" + spool.limit() + "x" + WalSpool.parallel(s);
                wanted.add(key);
                try {
                    Shipping sh = running.get(key);
                    if (sh == null) {
                        sh = begin(p, s, spool, key);
                        if (sh == null) {
                            continue;
                        }
                    }
                    // measured before shipping starts: a spool found full raises its alert even if it drains quickly
                    WalSpool.Depth d = spool.depth();
                    sh.shipper().poll();
                    metrics.walSpool(p.name(), s.name(), d);
                    if (d.fill() >= WalSpool.ALERT_AT) {
                        alerts.walSpool(p, "the WAL spool of source '" + s.name() + "' (" + spool.dir() + ") is "
                                + (d.fill() >= 1 ? "full" : "over " + Math.round(WalSpool.ALERT_AT * 100) + "% of its walSpoolLimit")
                                + (sh.shipper().failing().isEmpty() ? "" : "; shipping fails: "
                                + sh.shipper().failing().values().iterator().next()));
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.warn("plan '{}', source '{}': WAL spool {}: {}", p.name(), s.name(), spool.dir(), Failures.rootCause(e));
                }
            }
        }
        running.keySet().removeIf(k -> {
            if (wanted.contains(k)) {
                return false;
            }
            end(running.get(k));
            return true;
        });
    }

    private Shipping begin(Plan p, SourceSpec s, WalSpool spool, String key) throws IOException {
        FileLock lock = spool.tryLockShipper();
        if (lock == null) {
            if (lockedElsewhere.add(key)) {
                LOG.warn("plan '{}', source '{}': another process ships the WAL spool {}; trying again", p.name(), s.name(), spool.dir());
            }
            return null;
        }
        lockedElsewhere.remove(key);
        String plan = p.name();
        WalShipper shipper = new WalShipper(engine, () -> config.get().plan(plan).orElse(p), s.name(), spool, WalSpool.parallel(s));
        Shipping sh = new Shipping(shipper, lock);
        running.put(key, sh);
        LOG.info("plan '{}', source '{}': shipping the WAL spool {} ({} at a time, limit {} bytes)", plan, s.name(), spool.dir(),
                WalSpool.parallel(s), spool.limit());
        return sh;
    }

    private static void end(Shipping sh) {
        sh.shipper().close();
        try {
            sh.lock().channel().close();
        } catch (IOException e) {
            LOG.debug("closing a WAL spool lock: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running.values().forEach(WalShipping::end);
        running.clear();
    }
}
