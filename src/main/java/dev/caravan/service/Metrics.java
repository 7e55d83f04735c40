package dev.caravan.service;

import dev.caravan.model.Plan;
import dev.caravan.pipeline.BackupResult;
import dev.caravan.pipeline.RunListener;
import dev.caravan.wal.WalLag;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The service's Prometheus metrics (names in docs/monitoring.md), updated after each run and by
 * the service's periodic checks. Gauges read from the maps below, so a scrape always sees the
 * newest values.
 */
public final class Metrics implements RunListener {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Clock clock;
    private final Map<String, AtomicLong> values = new ConcurrentHashMap<>();
    private final Map<String, WalLag> walLags = new ConcurrentHashMap<>();

    public Metrics(Clock clock) {
        this.clock = clock;
    }

    public String scrape() {
        return registry.scrape();
    }

    /** Declares a plan's gauges before its first run: RPO and staleAfter are known from the start. */
    public void plan(Plan plan, Instant lastGood) {
        if (lastGood != null) {
            value("caravan_backup_last_success_timestamp_seconds", Tags.of("plan", plan.name())).set(lastGood.getEpochSecond());
        }
        value("caravan_stale_after_seconds", Tags.of("plan", plan.name())).set(plan.alerts().staleAfter().toSeconds());
        AtomicLong last = value("caravan_backup_last_success_timestamp_seconds", Tags.of("plan", plan.name()));
        String key = "caravan_backup_rpo_seconds" + Tags.of("plan", plan.name());
        values.computeIfAbsent(key, k -> {
            Gauge.builder("caravan_backup_rpo_seconds", last, l -> l.get() == 0 ? Double.NaN : clock.instant().getEpochSecond() - l.get())
                    .tags(Tags.of("plan", plan.name()))
                    .description("Seconds since the newest backup that stored a copy (the recovery point age)")
                    .register(registry);
            return new AtomicLong();
        });
    }

    @Override
    public void finished(Plan plan, BackupResult r) {
        String p = plan.name();
        String status = r.ok() ? "ok" : r.storedSomewhere() ? "partial" : "failed";
        registry.counter("caravan_backups_completed_total", "plan", p, "status", status).increment();
        value("caravan_backup_duration_seconds", Tags.of("plan", p)).set(r.duration().toSeconds());
        value("caravan_backup_last_run_timestamp_seconds", Tags.of("plan", p)).set(clock.instant().getEpochSecond());
        value("caravan_backup_last_status", Tags.of("plan", p)).set(r.ok() ? 1 : 0);
        if (r.storedSomewhere()) {
            value("caravan_backup_last_success_timestamp_seconds", Tags.of("plan", p)).set(clock.instant().getEpochSecond());
            value("caravan_backup_size_bytes", Tags.of("plan", p)).set(r.bytes());
        }
        for (BackupResult.SourceOutcome s : r.sources()) {
            String st = s.error() == null ? "ok" : "failed";
            registry.counter("caravan_source_runs_total", "plan", p, "source", s.name(), "status", st).increment();
            if (s.error() == null) {
                value("caravan_source_size_bytes", Tags.of("plan", p, "source", s.name())).set(s.bytes());
            }
        }
        r.destinations().forEach((d, problem) -> {
            registry.counter("caravan_destination_copies_total", "plan", p, "destination", d, "status", problem == null ? "ok" : "failed")
                    .increment();
            if (problem == null) {
                value("caravan_destination_last_success_timestamp_seconds", Tags.of("plan", p, "destination", d))
                        .set(clock.instant().getEpochSecond());
            }
        });
    }

    /** The last restore drill: when, whether it passed, and how long each source took to restore (the RTO). */
    public void drill(Plan plan, dev.caravan.drill.DrillReport report) {
        String p = plan.name();
        value("caravan_drill_last_run_timestamp_seconds", Tags.of("plan", p)).set(clock.instant().getEpochSecond());
        value("caravan_drill_last_passed", Tags.of("plan", p)).set(report.passed() ? 1 : 0);
        for (dev.caravan.drill.DrillReport.SourceResult s : report.sources()) {
            if (s.restoreTime() != null) {
                value("caravan_drill_restore_seconds", Tags.of("plan", p, "source", s.source())).set(s.restoreTime().toSeconds());
            }
        }
    }

    /** 1 when the destination could be listed at the last check, else 0. */
    public void reachable(String plan, String destination, boolean up) {
        value("caravan_destination_reachable", Tags.of("plan", plan, "destination", destination)).set(up ? 1 : 0);
    }

    /**
     * The newest WAL lag of a continuous postgres source ({@link WalLag}): the gauge adds the time
     * since it was measured while archiving is behind, and is NaN while the server cannot be asked.
     */
    public void walLag(WalLag lag) {
        Tags tags = Tags.of("plan", lag.plan(), "source", lag.source());
        String key = "caravan_wal_lag_seconds" + tags;
        boolean fresh = walLags.put(key, lag) == null;
        if (fresh) {
            Gauge.builder("caravan_wal_lag_seconds", walLags, m -> {
                        Double s = m.get(key).secondsAt(clock.instant());
                        return s == null ? Double.NaN : s;
                    })
                    .tags(tags)
                    .description("Age in seconds of the oldest WAL change not yet stored at every destination (NaN: the server cannot be asked)")
                    .register(registry);
        }
    }

    private AtomicLong value(String name, Tags tags) {
        return values.computeIfAbsent(name + tags, k -> {
            AtomicLong v = new AtomicLong();
            Gauge.builder(name, v, AtomicLong::get).tags(tags).register(registry);
            return v;
        });
    }
}
