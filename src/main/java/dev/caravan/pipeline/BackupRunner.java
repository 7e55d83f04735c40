package dev.caravan.pipeline;

import dev.caravan.audit.AuditLog;
import dev.caravan.backup.BackupId;
import dev.caravan.backup.Layout;
import dev.caravan.backup.Manifest;
import dev.caravan.backup.Pruner;
import dev.caravan.backup.RunReport;
import dev.caravan.destination.Destination;
import dev.caravan.io.Failures;
import dev.caravan.lock.PlanLock;
import dev.caravan.model.Compression;
import dev.caravan.model.Plan;
import dev.caravan.model.SourceSpec;
import dev.caravan.source.IncrementalSource;
import dev.caravan.source.Source;
import dev.caravan.source.WalSource;
import org.apache.camel.Exchange;
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
    private final Packer packer;

    BackupRunner(Plan plan, Engine engine) {
        this.plan = plan;
        this.engine = engine;
        this.packer = Packer.of(plan);
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
            List<Fanout.Target> targets = engine.targets(plan);
            targets.stream().filter(t -> !t.usable()).forEach(t -> LOG.warn("plan '{}': {}", plan.name(), t.unavailable()));
            RunState run = new RunState(plan, request, id, started, work, lock, destinations, targets);
            run.retention.addAll(deadSpools);
            for (SourceSpec s : plan.sources()) {
                if (request.onlySources().isEmpty() || request.onlySources().contains(s.name())) {
                    addJobs(run, s);
                }
            }
            decideChain(run, destinations, started);
            ex.setProperty(RunState.PROPERTY, run);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** The source's job and its extras' jobs; the source is made once here, and a source that cannot be made is a failed job. */
    private void addJobs(RunState run, SourceSpec spec) {
        SourceJob job = new SourceJob(spec);
        run.jobs.add(job);
        try {
            Source source = engine.source(spec);
            job.source(source);
            for (Source extra : source.extras()) {
                run.jobs.add(new SourceJob(spec, extra));
            }
        } catch (RuntimeException e) {
            job.fail(Failures.sentence(subject(job), e));
        }
    }

    private static String subject(SourceJob job) {
        return job.spec().kind() + " '" + job.name() + "'";
    }

    /** Full or incremental (see {@link ChainState#decide}); a run of only some sources is always a full off the chain. */
    private void decideChain(RunState run, Map<String, Destination> destinations, Instant started) {
        run.movesChain = plan.incremental() != null && run.request.onlySources().isEmpty();
        List<String> incremental = new ArrayList<>();
        for (SourceJob j : run.jobs) {
            if (j.source() instanceof IncrementalSource) {
                incremental.add(j.name());
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
        if (!job.isOk()) {
            return;
        }
        try {
            Source source = job.source();
            job.pipe(new StreamPipe(source::dump));
            if (plan.dedup()) {
                // chunked: each chunk is compressed and encrypted on its own (ChunkStore); the name is the dump's
                job.objectName(job.name() + "." + source.extension());
                return;
            }
            job.objectName(packer.objectName(job.name(), source.extension()));
            if (plan.incremental() != null && source instanceof IncrementalSource inc) {
                RunState run = run(ex);
                Path previous = run.chain.incremental() ? chainState().index(job.name()) : null;
                Path index = run.workDir.resolve(job.name() + ".index.plain");
                job.indexFile(index);
                job.indexObject(packer.objectName(job.name(), inc.indexExtension()));
                job.pipe(new StreamPipe(out -> inc.dump(out, previous, index)));
            }
        } catch (RuntimeException e) {
            job.fail(Failures.sentence(subject(job), e));
        }
    }

    /** compress: adds the plan's compression stage. */
    public void compress(Exchange ex) {
        SourceJob job = job(ex);
        if (job.isOk() && !plan.dedup()) {
            packer.compress(job.pipe());
        }
    }

    /** encrypt: adds the age stage when the plan encrypts. */
    public void encrypt(Exchange ex) {
        SourceJob job = job(ex);
        if (job.isOk() && !plan.dedup()) {
            packer.encrypt(job.pipe());
        }
    }

    /** Runs the pipe into a spool file: dump, compress, encrypt and SHA-256 in one pass. */
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
            if (plan.dedup()) {
                if (run.chunks == null) {
                    run.chunks = ChunkStore.open(plan, packer, engine.fanout(), run.targets, run.workDir, engine.settings().stateDir());
                }
                ChunkStore.Chunked c = run.chunks.write(job, job.pipe());
                job.chunked(c);
                job.spooled(new StreamPipe.Spooled(null, c.bytes(), c.sha256(), c.dumpBytes()));
            } else {
                job.spooled(job.pipe().spool(file));
            }
        } catch (IOException | RuntimeException e) {
            job.fail(Failures.sentence(subject(job), e));
            deleteQuietly(file);
        } finally {
            progress.finished(plan.name(), job.name());
        }
    }

    /**
     * store: the fan-out sends the spooled object to every destination at once and verifies each copy
     * (when the plan asks; see {@link Destination#verifyUpload}); then the spool file goes, and an
     * incremental source's file index takes the same path to the destinations that hold the object.
     */
    public void store(Exchange ex) {
        SourceJob job = job(ex);
        RunState run = run(ex);
        if (!job.isOk()) {
            return;
        }
        if (job.chunked() != null) {
            // its chunks are stored already; a destination that missed one is on the job's failures
            record(job, run.targets, Map.of());
            return;
        }
        String key = Layout.object(plan.name(), run.id, job.objectName());
        Map<String, String> failed = engine.fanout().store(key, job.spooled(), run.targets,
                new Fanout.Options(plan.verify().afterUpload(), true));
        record(job, run.targets, failed);
        deleteQuietly(job.spooled().file());
        if (job.indexFile() != null) {
            storeIndex(run, job);
        }
    }

    private static void record(SourceJob job, List<Fanout.Target> targets, Map<String, String> failed) {
        for (Fanout.Target t : targets) {
            String why = failed.get(t.name());
            if (why == null) {
                job.stored(t.name());
            } else {
                job.failedAt(t.name(), why);
            }
        }
    }

    /**
     * The file index an incremental source wrote beside its object, packed like it
     * ({@code <source>.index.jsonl.zst.age}), to every destination that took the object. A destination
     * that misses it gets no manifest.
     */
    private void storeIndex(RunState run, SourceJob job) {
        Path file = run.workDir.resolve(job.indexObject());
        try {
            job.indexSpooled(packer.pack(job.indexFile(), file));
            List<Fanout.Target> holders = run.targetsHolding(job::isStoredAt);
            Map<String, String> failed = engine.fanout().store(Layout.object(plan.name(), run.id, job.indexObject()),
                    job.indexSpooled(), holders, new Fanout.Options(plan.verify().afterUpload(), false));
            record(job, holders, failed);
        } catch (IOException | RuntimeException e) {
            job.fail(Failures.sentence(subject(job), new IOException("index: " + Failures.rootCause(e), e)));
        } finally {
            deleteQuietly(file);
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
        List<Fanout.Target> holders = run.targetsHolding(n -> !run.destinationProblems.containsKey(n));
        engine.fanout().store(Layout.manifest(plan.name(), run.id), file, holders, new Fanout.Options(plan.verify().afterUpload(), false))
                .forEach(run.destinationProblems::put);
        if (run.movesChain && run.destinationProblems.isEmpty()) {
            Map<String, Path> indexes = new LinkedHashMap<>();
            run.jobs.stream().filter(j -> j.indexFile() != null).forEach(j -> indexes.put(j.name(), j.indexFile()));
            try {
                chainState().commit(run.id, run.started, run.chain, indexes);
            } catch (IOException | RuntimeException e) {
                run.retention.add("incremental chain state not saved (the next run is a full): " + Failures.rootCause(e));
            }
        }
    }

    private Manifest manifest(RunState run) {
        List<Manifest.Entry> entries = new ArrayList<>();
        for (SourceJob j : run.jobs) {
            StreamPipe.Spooled index = j.indexSpooled();
            if (j.chunked() != null) {
                ChunkStore.Chunked c = j.chunked();
                entries.add(new Manifest.Entry(j.name(), j.spec().kind(), j.source().toolVersion(), j.objectName(),
                        c.bytes(), c.sha256(), c.dumpBytes(), null, null, null,
                        j.source() instanceof WalSource w ? w.walStart() : null, c.chunks(), c.newBytes()));
                continue;
            }
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
                plan.encryption().describe(), entries, Engine.VERSION, run.chain.parent(), run.chain.base(),
                run.chunks == null ? null : run.chunks.sealedKey());
    }

    /** retention: prunes every destination that took this backup, and removes what dead runs left. */
    public void retention(Exchange ex) {
        RunState run = run(ex);
        if ("pre-restore".equals(run.request.label())) {
            return; // a safety copy taken before a restore must not prune the backup being restored
        }
        Pruner.Report report = new Pruner(plan, run.destinations).prune(false, run.id);
        run.retention.addAll(report.lines());
        // a destination retention could not list or clean is said, not skipped in silence (its backup stays complete)
        report.problems().forEach((name, why) -> run.retention.add(name + ": not pruned: " + why));
        if (!report.lines().isEmpty() || !report.problems().isEmpty()) {
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
                        s == null ? 0 : s.dumpBytes(), s == null ? null : s.sha256(), j.error().orElse(null),
                        j.chunked() != null ? j.chunked().newBytes() : s == null ? 0 : s.bytes()));
            }
            Map<String, String> destinations = new LinkedHashMap<>();
            run.destinations.keySet().forEach(n -> destinations.put(n, run.destinationProblems.get(n)));
            Exception failure = ex.getException();
            if (failure != null) {
                destinations.replaceAll((n, v) -> v != null ? v : "run aborted: " + Failures.rootCause(failure));
            }
            BackupResult result = new BackupResult(plan.name(), run.id, sources, destinations, List.copyOf(run.retention),
                    Duration.between(run.started, Instant.now()), run.chain == null ? "full" : run.chain.type());
            ex.getIn().setBody(result);
            RunReport report = RunReports.of(run, result);
            RunReports.save(engine.fanout(), run, report);
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
