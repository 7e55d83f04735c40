package dev.caravan.service;

import dev.caravan.model.Plan;
import dev.caravan.pipeline.BackupResult;
import dev.caravan.pipeline.RunListener;
import dev.caravan.wal.WalLag;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

/**
 * The service's Prometheus metrics (names in docs/monitoring.md), updated after each run and by
 * the service's periodic checks. Gauges read from the maps below, so a scrape always sees the
 * newest values. Every family has its HELP text (in {@link #HELP}); seconds keep their fraction.
 * Micrometer's JVM and process binders add the JVM's memory, GC, threads, classes, CPU, uptime and
 * open files.
 */
public final class Metrics implements RunListener, AutoCloseable {
    /** HELP text of each of Caravan's own families. */
    static final Map<String, String> HELP = Map.ofEntries(
            Map.entry("caravan_backups_completed_total", "Backup runs that ended, by plan and status (ok, partial, failed)"),
            Map.entry("caravan_source_runs_total", "Source dumps, by plan, source and status (ok, failed)"),
            Map.entry("caravan_destination_copies_total", "Copies to a destination, by plan, destination and status (ok, failed)"),
            Map.entry("caravan_backup_last_success_timestamp_seconds", "Unix time of the end of the newest run that stored a copy"),
            Map.entry("caravan_backup_rpo_seconds", "Seconds since the newest backup that stored a copy (the recovery point age)"),
            Map.entry("caravan_stale_after_seconds", "The plan's staleAfter: the recovery point age that raises a stale alert"),
            Map.entry("caravan_backup_last_run_timestamp_seconds", "Unix time of the end of the newest run, good or not"),
            Map.entry("caravan_backup_last_status", "1 when the newest run was fully good, else 0"),
            Map.entry("caravan_backup_duration_seconds", "Wall time in seconds of the newest run"),
            Map.entry("caravan_backup_size_bytes", "Stored bytes of the newest good backup"),
            Map.entry("caravan_backup_new_bytes", "Stored bytes the newest good backup added (with dedup: its new chunks only)"),
            Map.entry("caravan_source_size_bytes", "Stored bytes of the source's newest object"),
            Map.entry("caravan_destination_last_success_timestamp_seconds", "Unix time the destination last took a complete copy"),
            Map.entry("caravan_drill_last_run_timestamp_seconds", "Unix time of the last scheduled restore drill"),
            Map.entry("caravan_drill_last_passed", "1 when the last restore drill passed, 0 when a restore or check failed"),
            Map.entry("caravan_drill_restore_seconds", "Seconds the source took to restore in the last drill (its restore duration)"),
            Map.entry("caravan_destination_reachable", "1 when the destination could be listed at the last check, else 0"),
            Map.entry("caravan_wal_lag_seconds",
                    "Age in seconds of the oldest WAL change not yet stored at every destination (NaN: the server cannot be asked)"),
            Map.entry("caravan_source_last_success_timestamp_seconds",
                    "Unix time the source's newest object was stored at a destination, by plan, source and type (full, incremental)"),
            Map.entry("caravan_source_backups_completed_total",
                    "Source backups that ended, by plan, source, type (full, incremental) and status (ok, partial, failed)"),
            Map.entry("caravan_backup_run_duration_seconds", "Wall time of backup runs, by plan and type (full, incremental)"),
            Map.entry("caravan_backup_run_size_bytes", "Stored bytes of backup runs that stored a copy, by plan and type (full, incremental)"),
            Map.entry("caravan_destination_replicated",
                    "1 when the newest run's backup is complete and verified at the destination, else 0 (the replication status)"),
            Map.entry("caravan_drills_completed_total", "Restore drills that ended, by plan and status (passed, failed, rto-missed)"),
            Map.entry("caravan_drill_rto_seconds", "Seconds the last drill took to restore every source (the measured RTO)"),
            Map.entry("caravan_rto_target_seconds", "The plan's declared recovery time objective, drill { rto }"),
            Map.entry("caravan_rpo_target_seconds", "The plan's declared recovery point objective, alerts { rpo }"),
            Map.entry("caravan_recovery_point_age_seconds",
                    "Seconds of data a restore would lose now: the newest good backup's age, or for a continuous postgres source its WAL lag"),
            Map.entry("caravan_alerts_total", "Alerts raised (wanted by the plan and not held back by the rate limit), by plan and event"),
            Map.entry("caravan_plan_info",
                    "A plan's declared targets as labels (rpo, rto: a duration, or none) and its schedule; the value is always 1"),
            Map.entry("caravan_wal_spool_segments", "WAL files waiting in the spool of asynchronous archiving"),
            Map.entry("caravan_wal_spool_bytes", "Bytes waiting in the spool of asynchronous archiving"),
            Map.entry("caravan_wal_spool_limit_bytes", "The spool's walSpoolLimit: a full spool refuses the next WAL file"),
            Map.entry("caravan_wal_spool_oldest_seconds", "Seconds since the oldest WAL file waiting in the spool was spooled (0: empty)"));

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Clock clock;
    private final Map<String, Value> values = new ConcurrentHashMap<>();
    private final Map<String, WalLag> walLags = new ConcurrentHashMap<>();
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Map<String, Plan> plans = new ConcurrentHashMap<>();
    private final Map<String, Meter.Id> infos = new ConcurrentHashMap<>();

    public Metrics(Clock clock) {
        this.clock = clock;
        // Two of Micrometer's process names that Prometheus' conventions (promtool check metrics)
        // refuse: CPU time in nanoseconds becomes the usual process_cpu_seconds_total, and
        // system_cpu_count (a "_count" that is no histogram's) becomes system_cpus.
        registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")));
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
            }
        });
        // camel-micrometer's tags are camelCase (routeId, camelContext); Prometheus' convention is snake_case
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                if (!id.getName().startsWith("camel.")) {
                    return id;
                }
                java.util.List<io.micrometer.core.instrument.Tag> tags = id.getTags().stream()
                        .map(t -> io.micrometer.core.instrument.Tag.of(snake(t.getKey()), t.getValue())).toList();
                return id.replaceTags(tags);
            }
        });
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            FunctionCounter.builder("process.cpu", os, o -> o.getProcessCpuTime() / 1e9).baseUnit("seconds")
                    .description("CPU time used by Caravan's JVM").register(registry);
        }
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    @Override
    public void close() {
        gc.close();
    }

    /** The registry, for Camel's own route and exchange metrics (camel-micrometer) to share. */
    public MeterRegistry registry() {
        return registry;
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
        Value last = value("caravan_backup_last_success_timestamp_seconds", Tags.of("plan", plan.name()));
        gauge("caravan_backup_rpo_seconds", Tags.of("plan", plan.name()),
                () -> last.get() == 0 ? Double.NaN : clock.millis() / 1000.0 - last.get());
        plans.put(plan.name(), plan);
        gauge("caravan_recovery_point_age_seconds", Tags.of("plan", plan.name()), () -> {
            RecoveryPoint rp = recoveryPoint(plans.get(plan.name()));
            return rp == null ? Double.NaN : seconds(rp.age());
        });
        for (String event : plan.alerts().events()) {
            Counter.builder("caravan_alerts_total").tags("plan", plan.name(), "event", event)
                    .description(HELP.get("caravan_alerts_total")).register(registry);
        }
        if (plan.alerts().rpo() != null) {
            value("caravan_rpo_target_seconds", Tags.of("plan", plan.name())).set(plan.alerts().rpo().toSeconds());
        }
        if (plan.drill().rto() != null) {
            value("caravan_rto_target_seconds", Tags.of("plan", plan.name())).set(plan.drill().rto().toSeconds());
        }
        Tags info = Tags.of("plan", plan.name(), "rpo", target(plan.alerts().rpo()), "rto", target(plan.drill().rto()),
                "schedule", plan.schedule() == null ? "none" : plan.schedule().expression());
        // one info series per plan: an edited target replaces the old series instead of adding one
        Meter.Id old = infos.put(plan.name(), Gauge.builder("caravan.plan.info", () -> 1).tags(info)
                .description(HELP.get("caravan_plan_info")).register(registry).getId());
        if (old != null && !old.getTags().equals(info.stream().toList())) {
            registry.remove(old);
        }
    }

    private static String target(java.time.Duration d) {
        return d == null ? "none" : d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * How much data a restore would lose now, and what sets it: per source the WAL lag of a continuous
     * postgres source (while it is known), else the newest good backup's age; the plan's is the largest.
     * Null before the plan's first good backup.
     */
    public RecoveryPoint recoveryPoint(Plan plan) {
        double last = values.getOrDefault("caravan_backup_last_success_timestamp_seconds" + Tags.of("plan", plan.name()), new Value()).get();
        Instant now = clock.instant();
        RecoveryPoint worst = null;
        for (var source : plan.sources()) {
            WalLag lag = walLags.get("caravan_wal_lag_seconds" + Tags.of("plan", plan.name(), "source", source.name()));
            Double walSeconds = lag == null ? null : lag.secondsAt(now);
            RecoveryPoint rp;
            if (walSeconds != null && !walSeconds.isNaN()) {
                rp = new RecoveryPoint(java.time.Duration.ofMillis((long) (walSeconds * 1000)),
                        "the WAL of source '" + source.name() + "' not yet stored at every destination");
            } else if (last > 0) {
                Instant at = Instant.ofEpochMilli((long) (last * 1000));
                rp = new RecoveryPoint(java.time.Duration.between(at, now), "the newest good backup (" + at + ")");
            } else {
                continue;
            }
            if (worst == null || rp.age().compareTo(worst.age()) > 0) {
                worst = rp;
            }
        }
        return worst;
    }

    /** How old the recovery point is, and which (without its age, so a repeated miss reads the same). */
    public record RecoveryPoint(java.time.Duration age, String what) {
    }

    @Override
    public void finished(Plan plan, BackupResult r) {
        String p = plan.name();
        String status = r.ok() ? "ok" : r.storedSomewhere() ? "partial" : "failed";
        counter("caravan_backups_completed_total", Tags.of("plan", p, "status", status));
        value("caravan_backup_duration_seconds", Tags.of("plan", p)).set(seconds(r.duration()));
        value("caravan_backup_last_run_timestamp_seconds", Tags.of("plan", p)).set(clock.instant().getEpochSecond());
        value("caravan_backup_last_status", Tags.of("plan", p)).set(r.ok() ? 1 : 0);
        if (r.storedSomewhere()) {
            value("caravan_backup_last_success_timestamp_seconds", Tags.of("plan", p)).set(clock.instant().getEpochSecond());
            value("caravan_backup_size_bytes", Tags.of("plan", p)).set(r.bytes());
            value("caravan_backup_new_bytes", Tags.of("plan", p)).set(r.newBytes());
        }
        String type = r.type();
        Timer.builder("caravan_backup_run_duration").tags("plan", p, "type", type)
                .description(HELP.get("caravan_backup_run_duration_seconds")).register(registry).record(r.duration());
        if (r.storedSomewhere()) {
            DistributionSummary.builder("caravan_backup_run_size").baseUnit("bytes").tags("plan", p, "type", type)
                    .description(HELP.get("caravan_backup_run_size_bytes")).register(registry).record(r.bytes());
        }
        double now = clock.millis() / 1000.0;
        for (BackupResult.SourceOutcome s : r.sources()) {
            String st = s.error() == null ? "ok" : "failed";
            counter("caravan_source_runs_total", Tags.of("plan", p, "source", s.name(), "status", st));
            String sourceStatus = s.error() != null || !r.storedSomewhere() ? "failed" : r.ok() ? "ok" : "partial";
            counter("caravan_source_backups_completed_total", Tags.of("plan", p, "source", s.name(), "type", type, "status", sourceStatus));
            if (s.error() == null) {
                value("caravan_source_size_bytes", Tags.of("plan", p, "source", s.name())).set(s.bytes());
            }
            if (s.error() == null && r.storedSomewhere()) {
                value("caravan_source_last_success_timestamp_seconds", Tags.of("plan", p, "source", s.name(), "type", type)).set(now);
            }
        }
        r.destinations().forEach((d, problem) -> {
            counter("caravan_destination_copies_total", Tags.of("plan", p, "destination", d, "status", problem == null ? "ok" : "failed"));
            value("caravan_destination_replicated", Tags.of("plan", p, "destination", d)).set(problem == null ? 1 : 0);
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
        counter("caravan_drills_completed_total", Tags.of("plan", p, "status", report.status()));
        if (report.restoreTime() != null) {
            value("caravan_drill_rto_seconds", Tags.of("plan", p)).set(seconds(report.restoreTime()));
        }
        for (dev.caravan.drill.DrillReport.SourceResult s : report.sources()) {
            if (s.restoreTime() != null) {
                value("caravan_drill_restore_seconds", Tags.of("plan", p, "source", s.source())).set(seconds(s.restoreTime()));
            }
        }
    }

    /** An alert was raised ({@link dev.caravan.alert.Alerts#onRaised}). */
    public void alert(String plan, String event) {
        counter("caravan_alerts_total", Tags.of("plan", plan, "event", event));
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
                    .description(HELP.get("caravan_wal_lag_seconds"))
                    .register(registry);
        }
    }

    /**
     * What waits in the WAL spool of a source with asynchronous archiving (the service's shipper reports
     * it several times a second); the WAL lag gauge then counts the oldest spooled file too.
     */
    public void walSpool(String plan, String source, dev.caravan.wal.WalSpool.Depth depth) {
        Tags tags = Tags.of("plan", plan, "source", source);
        walLags.computeIfPresent("caravan_wal_lag_seconds" + tags, (k, lag) -> lag.error() == null ? lag.withSpool(depth) : lag);
        value("caravan_wal_spool_segments", tags).set(depth.segments());
        value("caravan_wal_spool_bytes", tags).set(depth.bytes());
        value("caravan_wal_spool_limit_bytes", tags).set(depth.limit());
        value("caravan_wal_spool_oldest_seconds", tags).set(depth.oldestSeconds(clock.instant()));
    }

    private void counter(String name, Tags tags) {
        Counter.builder(name).tags(tags).description(HELP.get(name)).register(registry).increment();
    }

    private Value value(String name, Tags tags) {
        return values.computeIfAbsent(name + tags, k -> {
            Value v = new Value();
            Gauge.builder(name, v, Value::get).tags(tags).description(HELP.get(name)).register(registry);
            return v;
        });
    }

    private void gauge(String name, Tags tags, DoubleSupplier f) {
        values.computeIfAbsent(name + tags, k -> {
            Gauge.builder(name, f, DoubleSupplier::getAsDouble).strongReference(true).tags(tags).description(HELP.get(name))
                    .register(registry);
            return new Value();
        });
    }

    private static String snake(String camelCase) {
        return camelCase.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static double seconds(java.time.Duration d) {
        return d.toNanos() / 1e9;
    }

    /** A gauge's number, set by the service. */
    private static final class Value {
        private final AtomicLong bits = new AtomicLong(Double.doubleToRawLongBits(0));

        void set(double v) {
            bits.set(Double.doubleToRawLongBits(v));
        }

        double get() {
            return Double.longBitsToDouble(bits.get());
        }
    }
}
