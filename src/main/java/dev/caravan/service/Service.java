package dev.caravan.service;

import dev.caravan.alert.Alerts;
import dev.caravan.backup.Catalog;
import dev.caravan.dsl.PlanException;
import dev.caravan.dsl.PlanLoader;
import dev.caravan.io.Failures;
import dev.caravan.lock.PlanLock;
import dev.caravan.model.Config;
import dev.caravan.drill.Drill;
import dev.caravan.drill.DrillReport;
import dev.caravan.model.Plan;
import org.apache.camel.health.HealthCheckRegistry;
import dev.caravan.pipeline.BackupRequest;
import dev.caravan.pipeline.Engine;
import dev.caravan.pipeline.EngineSettings;
import dev.caravan.wal.WalLag;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code caravan run}: one {@link Engine} with a camel-quartz route per scheduled plan, alerts and
 * metrics after every run, a periodic check (stale backups, destination reachability), the HTTP
 * endpoints, hot reload of the plan file, a catch-up run for fires missed while down, and a
 * bounded graceful stop.
 */
public final class Service implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Service.class);

    /** How often the service looks at the plan file and runs its checks. */
    public record Timing(Duration watchEvery, Duration checkEvery) {
        public static final Timing DEFAULT = new Timing(Duration.ofSeconds(2), Duration.ofMinutes(1));
    }

    private final Path file;
    private final Timing timing;
    private final Instant started = Instant.now();
    private final Engine engine;
    private final Alerts alerts;
    private final Metrics metrics = new Metrics(Clock.systemUTC());
    private final StatusHistory history = new StatusHistory(Clock.systemUTC());
    private final Map<String, Catalog> catalogs = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(1, r -> new Thread(r, "caravan-service"));
    private final ExecutorService catchUps = Executors.newSingleThreadExecutor(r -> new Thread(r, "caravan-catch-up"));
    private final PlanWatcher watcher;
    private volatile Config config;
    private volatile String lastRefusal;
    private HttpEndpoints http;
    private final CamelMainEngine main;
    private WalShipping walShipping;

    public Service(Config config, EngineSettings settings, Timing timing) {
        this(config, settings, timing, null, true);
    }

    /** With the service's application.properties (validated by {@link ServiceProperties#load}), or none. */
    public Service(Config config, EngineSettings settings, ServiceProperties properties, Path propertiesFile) {
        this(config, settings, properties.timing(), propertiesFile, properties.camelRoutes());
    }

    private Service(Config config, EngineSettings settings, Timing timing, Path propertiesFile, boolean camelRoutes) {
        this.file = config.file();
        this.config = config;
        this.timing = timing;
        this.watcher = new PlanWatcher(file);
        this.main = CamelMainEngine.start(propertiesFile, metrics.registry(), camelRoutes);
        dev.caravan.pipeline.RouteTemplates.ensureLoaded(main.camel(), "caravan-backup-plan");
        this.engine = new Engine(config, settings, main.camel());
        if (config.service().cluster() != null) {
            QuartzCluster.install(engine.camel(), config.service().cluster());
        }
        if (!main.setsShutdownTimeout()) {
            engine.camel().getShutdownStrategy().setTimeout(config.service().shutdownTimeout().toSeconds());
        }
        engine.camel().getShutdownStrategy().setShutdownNowOnTimeout(true);
        this.alerts = new Alerts(engine.camel(), settings.stateDir(), file);
        alerts.onRaised(metrics::alert);
        engine.addRunListener(alerts);
        engine.addRunListener(metrics);
        engine.addRunListener(history);
        engine.addRunListener((plan, result) -> refresh(plan));
        HealthCheckRegistry health = HealthCheckRegistry.get(engine.camel());
        if (health != null) {
            health.register(new DestinationsHealthCheck(this));
        }
    }

    /** Schedules every plan, starts the checks, the watcher and (when configured) the HTTP endpoints. */
    public void start() throws IOException {
        for (Plan p : config.plans()) {
            schedule(p);
            Instant lastGood = refresh(p);
            alerts.seedLastGood(p.name(), lastGood);
            metrics.plan(p, lastGood);
            // in a cluster, Quartz's job store owns the schedule (and its misfires): a catch-up run on
            // every service at start would run the plan once per service
            if (config.service().catchUp() && config.service().cluster() == null && CatchUp.missed(p, lastGood, Instant.now())) {
                LOG.info("plan '{}': a scheduled run was missed (last good backup: {}); running it now", p.name(),
                        lastGood == null ? "none" : lastGood);
                catchUps.submit(() -> runNow(p));
            }
        }
        if (config.service().httpPort() > 0) {
            http = new HttpEndpoints(this, config.service().http());
        }
        walShipping = WalShipping.start(engine, () -> config, alerts, metrics);
        timer.execute(() -> config.plans().forEach(this::measureWal));
        timer.scheduleWithFixedDelay(this::check, timing.checkEvery().toMillis(), timing.checkEvery().toMillis(), TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::watch, timing.watchEvery().toMillis(), timing.watchEvery().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void schedule(Plan p) {
        scheduleDrill(p);
        if (p.schedule() == null) {
            LOG.info("plan '{}': no schedule, not scheduled", p.name());
            return;
        }
        engine.addPlanRoute(p, Triggers.quartz(p));
        LOG.info("plan '{}': scheduled {} ({}), next run {}", p.name(), p.schedule().expression(), p.timezone().getId(),
                nextFireTime(p.name()).map(Instant::toString).orElse("-"));
    }

    /** A plan with {@code drill { schedule ... }} gets a quartz route that runs {@link Drill#run} on it. */
    private void scheduleDrill(Plan p) {
        String routeId = "caravan-drill-" + p.name();
        try {
            if (engine.camel().getRoute(routeId) != null) {
                engine.camel().getRouteController().stopRoute(routeId);
                engine.camel().removeRoute(routeId);
            }
            if (p.drill().schedule() == null) {
                return;
            }
            engine.camel().addRoutes(new org.apache.camel.builder.RouteBuilder() {
                @Override
                public void configure() {
                    from(Triggers.drill(p)).routeId(routeId).process(ex -> runDrill(config.plan(p.name()).orElse(p)));
                }
            });
            LOG.info("plan '{}': restore drill scheduled {}", p.name(), p.drill().schedule().expression());
        } catch (Exception e) {
            LOG.warn("plan '{}': cannot schedule its restore drill: {}", p.name(), Failures.rootCause(e));
        }
    }

    private void runDrill(Plan p) {
        drillDone(p, Drill.run(engine, p));
    }

    /** A drill's report: exported, and alerted when it failed or missed its RTO. */
    void drillDone(Plan p, DrillReport report) {
        metrics.drill(p, report);
        history.drill(p, report);
        if (report.passed()) {
            LOG.info("plan '{}': restore drill of {} passed", p.name(), report.backupId());
        } else {
            String problem = report.error() != null ? report.error() : report.sources().stream().filter(s -> !s.passed())
                    .map(s -> s.source() + ": " + (s.error() != null ? s.error() : "a check failed")).findFirst().orElse("a check failed");
            alerts.drillFailed(p, report.backupId(), problem);
        }
        if (report.rtoMissed()) {
            alerts.rtoMissed(p, report.backupId(), report.restoreTime(), report.rto());
        }
    }

    private void runNow(Plan p) {
        try {
            engine.backup(p, BackupRequest.SCHEDULED);
        } catch (PlanLock.LockHeldException e) {
            LOG.info("plan '{}': catch-up skipped, {}", p.name(), e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.warn("plan '{}': catch-up run failed: {}", p.name(), Failures.rootCause(e));
        }
    }

    /** Re-lists the plan's destinations; returns the end time of its newest complete backup. */
    private Instant refresh(Plan p) {
        Catalog c = Catalog.scan(p.name(), engine.destinations(p));
        catalogs.put(p.name(), c);
        history.listed(p, c);
        p.destinations().forEach(d -> metrics.reachable(p.name(), d.name(), !c.unreachable().containsKey(d.name())));
        return c.backups().stream().findFirst().map(b -> Instant.parse(b.manifest().finished())).orElse(null);
    }

    private void check() {
        for (Plan p : config.plans()) {
            try {
                refresh(p);
                alerts.checkStale(p, started, Instant.now());
                measureWal(p);
                checkRpo(p);
            } catch (RuntimeException e) {
                LOG.warn("plan '{}': check failed: {}", p.name(), Failures.rootCause(e));
            }
        }
    }

    /** {@code alerts { rpo }}: raises {@code rpo-missed} while the recovery point is older than the target. */
    private void checkRpo(Plan p) {
        Metrics.RecoveryPoint rp = metrics.recoveryPoint(p);
        if (rp != null) {
            alerts.checkRpo(p, rp.age(), rp.what());
        }
    }

    /** Asks the server of each continuous postgres source how far WAL archiving is behind ({@code caravan_wal_lag_seconds}). */
    private void measureWal(Plan p) {
        try {
            WalLag.measure(engine, p).forEach(lag -> {
                metrics.walLag(lag);
                history.walLag(lag);
            });
        } catch (RuntimeException e) {
            LOG.warn("plan '{}': WAL lag check failed: {}", p.name(), Failures.rootCause(e));
        }
    }

    private void watch() {
        try {
            if (watcher.changed()) {
                reload();
            }
        } catch (Exception e) {
            LOG.warn("reload of {} failed: {}", file, Failures.rootCause(e));
        }
    }

    /** Loads the edited file; on success replaces the routes of the plans that changed, else keeps running as before. */
    synchronized void reload() throws Exception {
        Config next;
        try {
            next = PlanLoader.load(file);
        } catch (PlanException e) {
            lastRefusal = e.getMessage();
            LOG.error("{} was edited but does not validate; the previous configuration keeps running:\n{}", file, e.getMessage());
            alerts.reloadRefused(config.plans(), e.getMessage());
            return;
        }
        lastRefusal = null;
        Config old = config;
        for (Plan was : old.plans()) {
            if (next.plan(was.name()).isEmpty()) {
                LOG.info("plan '{}': removed from {}", was.name(), file);
                engine.replacePlanRoute(was.name(), null, null);
                scheduleDrill(new Plan(was.name(), was.line(), was.schedule(), was.timezone(), was.sources(), was.compression(),
                        was.encryption(), was.destinations(), was.retention(), was.verify()));  // no drill: removes its route
                catalogs.remove(was.name());
                history.forget(was.name());
            }
        }
        for (Plan p : next.plans()) {
            Optional<Plan> was = old.plan(p.name());
            if (was.isPresent() && PlanDiff.same(was.get(), p)) {
                continue;
            }
            LOG.info("plan '{}': {} in {}; replacing its routes", p.name(), was.isPresent() ? "changed" : "added", file);
            engine.replacePlanRoute(p.name(), null, null);
            schedule(p);
            metrics.plan(p, refresh(p));
        }
        config = next;
    }

    /** When quartz fires the plan next, if it is scheduled. */
    public Optional<Instant> nextFireTime(String plan) {
        try {
            QuartzComponent quartz = engine.camel().getComponent("quartz", QuartzComponent.class);
            Trigger t = quartz.getScheduler().getTrigger(TriggerKey.triggerKey(plan, "caravan"));
            return t == null || t.getNextFireTime() == null ? Optional.empty() : Optional.of(t.getNextFireTime().toInstant());
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    public Config config() {
        return config;
    }

    public Engine engine() {
        return engine;
    }

    public Metrics metrics() {
        return metrics;
    }

    /** Failures, drills and WAL lag since the start, for the status page. */
    StatusHistory history() {
        return history;
    }

    /** The newest listing of a plan's destinations (refreshed after each run and by the periodic check). */
    public Optional<Catalog> catalog(String plan) {
        return Optional.ofNullable(catalogs.get(plan));
    }

    /** The problems of the last refused edit, or null when the running configuration is the file's. */
    public String lastRefusal() {
        return lastRefusal;
    }

    public int httpPort() {
        return http == null ? 0 : http.port();
    }

    /** Stops taking new work, then lets runs in flight finish within the shutdown timeout (then aborts them). */
    @Override
    public void close() {
        timer.shutdownNow();
        catchUps.shutdown();
        if (http != null) {
            http.close();
        }
        if (walShipping != null) {
            walShipping.close();
        }
        engine.close();
        main.close();
        catchUps.shutdownNow();
        metrics.close();
    }
}
