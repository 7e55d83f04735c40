package dev.caravan.pipeline;

import dev.caravan.audit.AuditLog;
import dev.caravan.backup.BackupId;
import dev.caravan.backup.Layout;
import dev.caravan.backup.Manifest;
import dev.caravan.backup.Pruner;
import dev.caravan.backup.RunReport;
import dev.caravan.destination.Destination;
import dev.caravan.format.Age;
import dev.caravan.format.Compressor;
import dev.caravan.format.Compressors;
import dev.caravan.lock.PlanLock;
import dev.caravan.model.Compression;
import dev.caravan.model.Plan;
import dev.caravan.model.SourceSpec;
import dev.caravan.source.IncrementalSource;
import dev.caravan.source.Source;
import dev.caravan.source.WalSource;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The steps of {@code routes/backup-plan.yaml} for one plan, one public method per step. Steps
 * record failures on the run instead of throwing, so one bad source or destination never stops
 * the others; only {@link #begin} throws (lock held, work dir unusable).
 */
public final class BackupRunner {
    private static final Logger LOG = LoggerFactory.getLogger(BackupRunner.class);

    private final Plan plan;
    private final Engine engine;

    BackupRunner(Plan plan, Engine engine) {
        this.plan = plan;
        this.engine = engine;
    }

    /**
     * Takes the plan's lock, picks the id, prepares one job per source. A fire of the schedule that
     * finds the plan locked (its previous run still going, a catch-up, a {@code caravan now}) is
     * skipped with a warning; a run asked for directly throws {@link PlanLock.LockHeldException}.
     */
    public void begin(Exchange ex) throws IOException {
        boolean fired = !(ex.getIn().getBody() instanceof BackupRequest);
        BackupRequest request = fired ? BackupRequest.SCHEDULED : (BackupRequest) ex.getIn().getBody();
        Instant started = Instant.now();
        PlanLock lock;
        try {
            lock = PlanLock.acquire(engine.settings().stateDir(), plan.name(), "backup of plan " + plan.name());
        } catch (PlanLock.LockHeldException e) {
            if (!fired) {
                throw e;
            }
            LOG.warn("plan '{}': scheduled run skipped: {}", plan.name(), e.getMessage());
            ex.setRouteStop(true);
            return;
        }
        try {
            // the lock is ours: no run of this plan is alive, so spool folders of its runs are dead
            List<String> deadSpools = DeadSpools.remove(engine.settings().workDir(), plan.name());
            Map<String, Destination> destinations = engine.destinations(plan);
            String id = BackupId.next(started, takenIds(destinations, started));
            Path work = Files.createDirectories(engine.settings().workDir().resolve(plan.name() + "-" + id));
            Map<String, String> routes = new LinkedHashMap<>();
            destinations.keySet().forEach(name -> routes.put(name, engine.publishingRoute(plan, name)));
            RunState run = new RunState(plan, request, id, started, work, lock, destinations, routes);
            run.retention.addAll(deadSpools);
            run.endpoints = routes.values().stream().map(engine.publisher()::endpoint).toList();
            for (SourceSpec s : plan.sources()) {
                if (request.onlySources().isEmpty() || request.onlySources().contains(s.name())) {
                    run.jobs.add(new SourceJob(s));
                    for (Source extra : engine.extras(s)) {
                        run.jobs.add(new SourceJob(s, extra));
                    }
                }
            }
            decideChain(run, destinations, started);
            ex.setProperty(RunState.PROPERTY, run);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** Full or incremental (see {@link ChainState#decide}); a run of only some sources is always a full off the chain. */
    private void decideChain(RunState run, Map<String, Destination> destinations, Instant started) {
        run.movesChain = plan.incremental() != null && run.request.onlySources().isEmpty();
        List<String> incremental = new ArrayList<>();
        for (SourceJob j : run.jobs) {
            try {
                if (engine.source(j.spec()) instanceof IncrementalSource) {
                    incremental.add(j.name());
                }
            } catch (RuntimeException e) {
                // the dump step reports it
            }
        }
        ChainState state = chainState();
        run.chain = run.movesChain ? state.decide(plan, destinations, incremental, started)
                : new ChainState.Decision(Manifest.FULL, null, null, 1, "a run of only some sources");
    }

    private ChainState chainState() {
        return new ChainState(engine.settings().stateDir(), plan.name());
    }

    /** Ids already used at any destination (a run must never reuse one, even of a run that died). */
    private Set<String> takenIds(Map<String, Destination> destinations, Instant started) {
        Set<String> taken = new HashSet<>();
        for (Destination d : destinations.values()) {
            try {
                for (Destination.StoredObject o : d.list(Layout.planPrefix(plan.name()))) {
                    String id = Layout.idOf(plan.name(), o.key());
                    if (id != null && id.compareTo(BackupId.of(started)) >= 0) {
                        taken.add(id);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // an unreachable destination fails later, at upload, with its own message
            }
        }
        return taken;
    }

    /** dump: the source becomes the head of the job's stream pipe. */
    public void dump(Exchange ex) {
        SourceJob job = job(ex);
        try {
            Source source = job.source() != null ? job.source() : engine.source(job.spec());
            job.source(source);
            job.pipe(new StreamPipe(source::dump));
            Compression c = plan.compression();
            String compressionExtension = Compressors.get(c.algorithm()).extension();
            job.objectName(Layout.objectName(job.name(), source.extension(), compressionExtension, plan.encryption().enabled()));
            if (plan.incremental() != null && source instanceof IncrementalSource inc) {
                RunState run = run(ex);
                Path previous = run.chain.incremental() ? chainState().index(job.name()) : null;
                Path index = run.workDir.resolve(job.name() + ".index.plain");
                job.indexFile(index);
                job.indexObject(Layout.objectName(job.name(), inc.indexExtension(), compressionExtension, plan.encryption().enabled()));
                job.pipe(new StreamPipe(out -> inc.dump(out, previous, index)));
            }
        } catch (RuntimeException e) {
            job.fail(job.spec().kind() + " '" + job.name() + "': " + message(e));
        }
    }

    /** compress: adds the plan's compression stage. */
    public void compress(Exchange ex) {
        SourceJob job = job(ex);
        Compression c = plan.compression();
        if (job.isOk()) {
            Compressor compressor = Compressors.get(c.algorithm());
            job.pipe().then(out -> compressor.compress(out, c.level(), c.threads()));
        }
    }

    /** encrypt: adds the age stage when the plan encrypts. */
    public void encrypt(Exchange ex) {
        SourceJob job = job(ex);
        if (job.isOk() && plan.encryption().enabled()) {
            job.pipe().then(out -> Age.encrypt(out, plan.encryption()));
        }
    }

    /** Runs the pipe into a spool file; the body becomes that file, ready for the destinations. */
    public void spool(Exchange ex) {
        SourceJob job = job(ex);
        RunState run = run(ex);
        if (!job.isOk()) {
            return;
        }
        Path file = run.workDir.resolve(job.objectName());
        ProgressListener progress = engine.settings().progress();
        progress.started(plan.name(), job.name(), job.pipe().dumpCounter(), job.source().estimatedSize());
        try {
            job.spooled(job.pipe().spool(file));
            ex.getIn().setBody(file.toFile());
            ex.getIn().setHeader(Destination.KEY_HEADER, Layout.object(plan.name(), run.id, job.objectName()));
            ex.getIn().setHeader(Destination.LENGTH_HEADER, job.spooled().bytes());
            if (run.destinations.size() == 1 && run.destinations.values().iterator().next().takesSpoolByMove()) {
                // the only copy: its route moves the spool into place instead of copying it
                ex.getIn().setHeader(Exchange.FILE_LOCAL_WORK_PATH, file.toString());
            }
        } catch (IOException | RuntimeException e) {
            job.fail(job.spec().kind() + " '" + job.name() + "': " + message(e));
            deleteQuietly(file);
        } finally {
            progress.finished(plan.name(), job.name());
        }
    }

    /** Aggregation of the recipient list: records which destinations took the object and why others did not. */
    public Exchange destinationDone(Exchange oldExchange, Exchange newExchange) {
        RunState run = newExchange.getProperty(RunState.PROPERTY, RunState.class);
        SourceJob job = newExchange.getProperty(RunState.JOB_PROPERTY, SourceJob.class);
        String endpoint = newExchange.getProperty(ExchangePropertyKey.RECIPIENT_LIST_ENDPOINT, String.class);
        String destination = run.destinationOf(endpoint);
        Exception e = newExchange.getException();
        if (e == null) {
            job.stored(destination);
        } else {
            job.failedAt(destination, run.destinations.get(destination).describe() + ": upload of " + job.objectName()
                    + " failed: " + engine.publisher().failure(run.routeIds.get(destination), e));
            newExchange.setException(null);
        }
        return oldExchange == null ? newExchange : oldExchange;
    }

    /** verify: checks every stored copy at once (when the plan asks; see {@link Destination#verifyUpload}) and drops the spool file. */
    public void verify(Exchange ex) {
        SourceJob job = job(ex);
        RunState run = run(ex);
        if (!job.isOk()) {
            return;
        }
        if (plan.verify().afterUpload()) {
            String key = Layout.object(plan.name(), run.id, job.objectName());
            Map<String, Destination> stored = new LinkedHashMap<>();
            run.destinations.forEach((name, d) -> {
                if (job.isStoredAt(name)) {
                    stored.put(name, d);
                }
            });
            StreamPipe.Spooled s = job.spooled();
            UploadChecks.run(stored, key, s.file(), s.bytes(), s.sha256()).forEach((name, p) -> job.failedAt(name, "verify after upload: " + p));
        }
        deleteQuietly(job.spooled().file());
        if (job.indexFile() != null) {
            IndexObjects.publish(engine, plan, run, job);
        }
    }

    /** Writes manifest.json, last, to every destination that holds every object of this backup. */
    public void publishManifests(Exchange ex) throws IOException {
        RunState run = run(ex);
        List<String> sourceErrors = run.jobs.stream().flatMap(j -> j.error().stream()).toList();
        for (String name : run.destinations.keySet()) {
            Optional<String> failure = run.jobs.stream().map(j -> j.failures().get(name)).filter(f -> f != null).findFirst();
            if (failure.isPresent()) {
                run.destinationProblems.put(name, failure.get());
            } else if (!sourceErrors.isEmpty()) {
                run.destinationProblems.put(name, "no manifest written: " + sourceErrors.size() + " source(s) failed");
            }
        }
        if (!sourceErrors.isEmpty()) {
            return;
        }
        Manifest manifest = manifest(run);
        Path file = run.workDir.resolve(Layout.MANIFEST);
        try (OutputStream out = Files.newOutputStream(file)) {
            manifest.write(out);
        }
        for (String name : run.destinations.keySet()) {
            if (run.destinationProblems.containsKey(name)) {
                continue;
            }
            try {
                engine.publisher().save(run.routeIds.get(name), Layout.manifest(plan.name(), run.id), file);
            } catch (IOException | RuntimeException e) {
                run.destinationProblems.put(name, run.destinations.get(name).describe() + ": manifest upload failed: " + message(e));
            }
        }
        if (run.movesChain && run.destinationProblems.isEmpty()) {
            Map<String, Path> indexes = new LinkedHashMap<>();
            run.jobs.stream().filter(j -> j.indexFile() != null).forEach(j -> indexes.put(j.name(), j.indexFile()));
            try {
                chainState().commit(run.id, run.started, run.chain, indexes);
            } catch (IOException | RuntimeException e) {
                run.retention.add("incremental chain state not saved (the next run is a full): " + message(e));
            }
        }
    }

    private Manifest manifest(RunState run) {
        List<Manifest.Entry> entries = new ArrayList<>();
        for (SourceJob j : run.jobs) {
            StreamPipe.Spooled index = j.indexSpooled();
            entries.add(new Manifest.Entry(j.name(), j.spec().kind(), j.source().toolVersion(), j.objectName(),
                    j.spooled().bytes(), j.spooled().sha256(), j.spooled().dumpBytes(), index == null ? null : j.indexObject(),
                    index == null ? null : index.bytes(), index == null ? null : index.sha256(),
                    j.source() instanceof WalSource w ? w.walStart() : null));
        }
        Compression c = plan.compression();
        String compression = "none".equals(c.algorithm()) ? "none" : c.algorithm() + " level " + c.level();
        String encryption = !plan.encryption().enabled() ? "none" : plan.encryption().passphrase() != null ? "age-passphrase" : "age";
        return new Manifest(Manifest.FORMAT, plan.name(), run.id, run.chain.type(), run.request.label(), run.request.note(),
                run.started.toString(), Instant.now().toString(), compression, encryption,
                plan.encryption().describe(), entries, Engine.VERSION, run.chain.parent(), run.chain.base());
    }

    /** retention: prunes every destination that took this backup, and removes what dead runs left. */
    public void retention(Exchange ex) {
        RunState run = run(ex);
        if ("pre-restore".equals(run.request.label())) {
            return; // a safety copy taken before a restore must not prune the backup being restored
        }
        Pruner.Report report = new Pruner(plan, run.destinations).prune(false, run.id);
        run.retention.addAll(report.lines());
        if (!report.lines().isEmpty()) {
            AuditLog.in(engine.settings().stateDir()).prune(plan.name(), report.lines(), report.problems());
        }
    }

    /** Always runs: releases the lock and the work dir; the body becomes the {@link BackupResult}. */
    public void finish(Exchange ex) throws IOException {
        RunState run = run(ex);
        if (run == null) {
            return;
        }
        try {
            List<BackupResult.SourceOutcome> sources = new ArrayList<>();
            for (SourceJob j : run.jobs) {
                StreamPipe.Spooled s = j.spooled();
                sources.add(new BackupResult.SourceOutcome(j.name(), j.objectName(), s == null ? 0 : s.bytes(),
                        s == null ? 0 : s.dumpBytes(), s == null ? null : s.sha256(), j.error().orElse(null)));
            }
            Map<String, String> destinations = new LinkedHashMap<>();
            run.destinations.keySet().forEach(n -> destinations.put(n, run.destinationProblems.get(n)));
            Exception failure = ex.getException();
            if (failure != null) {
                destinations.replaceAll((n, v) -> v != null ? v : "run aborted: " + message(failure));
            }
            BackupResult result = new BackupResult(plan.name(), run.id, sources, destinations, List.copyOf(run.retention),
                    Duration.between(run.started, Instant.now()));
            ex.getIn().setBody(result);
            RunReport report = RunReports.of(run, result);
            RunReports.save(engine.publisher(), run, report);
            AuditLog.in(engine.settings().stateDir()).backup(report);
        } finally {
            deleteTree(run.workDir);
            run.lock.close();
        }
        engine.runFinished(plan, ex.getIn().getBody(BackupResult.class));
    }

    private static SourceJob job(Exchange ex) {
        SourceJob job = ex.getIn().getBody(SourceJob.class);
        if (job == null) {
            job = ex.getProperty(RunState.JOB_PROPERTY, SourceJob.class);
        }
        ex.setProperty(RunState.JOB_PROPERTY, job);
        return job;
    }

    private static RunState run(Exchange ex) {
        return ex.getProperty(RunState.PROPERTY, RunState.class);
    }

    static String message(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t && (t.getMessage() == null || t instanceof org.apache.camel.CamelExecutionException)) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover spool file is removed with the work dir
        }
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(BackupRunner::deleteQuietly);
        } catch (IOException ignored) {
            // best effort: the work dir is under the temp dir
        }
    }
}
