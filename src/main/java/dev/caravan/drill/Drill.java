package dev.caravan.drill;

import dev.caravan.backup.Catalog;
import dev.caravan.backup.Chain;
import dev.caravan.backup.Layout;
import dev.caravan.backup.Manifest;
import dev.caravan.backup.Unpacker;
import dev.caravan.destination.Destination;
import dev.caravan.model.DrillSpec;
import dev.caravan.model.Plan;
import dev.caravan.model.SourceSpec;
import dev.caravan.pipeline.Engine;
import dev.caravan.source.DirScratch;
import dev.caravan.source.IncrementalSource;
import dev.caravan.source.RestoreRequest;
import dev.caravan.source.Scratch;
import dev.caravan.source.Source;
import dev.caravan.source.SourceKind;
import dev.caravan.source.SourceKinds;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A restore rehearsal: the plan's latest complete backup is restored, source by source, into
 * scratch targets (a temporary database, redis-server or directory, each kind's
 * {@link SourceKind#drillScratch}); every
 * stored object's size and SHA-256 are checked against the manifest as it streams; the plan's
 * {@code drill { check ... }} run against what came back; the scratch targets are always removed.
 */
public final class Drill {
    private final Engine engine;
    private final Plan plan;
    private final Unpacker unpacker;
    private final Consumer<String> log;

    private Drill(Engine engine, Plan plan, List<Path> identities, Consumer<String> log) {
        this.engine = engine;
        this.plan = plan;
        this.unpacker = new Unpacker(identities, plan.encryption());
        this.log = log;
    }

    /** Drills {@code plan} with the age identity from {@code CARAVAN_AGE_IDENTITY}, if any. */
    public static DrillReport run(Engine engine, Plan plan) {
        return run(engine, plan, List.of(), line -> { });
    }

    /**
     * Drills {@code plan}. Never throws for what it finds: a missing backup, a failed restore or a
     * failed check is in the report.
     *
     * @param identities age identity files for age-encrypted backups
     * @param log        one line per notable restore step
     */
    public static DrillReport run(Engine engine, Plan plan, List<Path> identities, Consumer<String> log) {
        return new Drill(engine, plan, identities, log).run();
    }

    private DrillReport run() {
        Instant started = Instant.now();
        Map<String, Destination> dests = engine.destinations(plan);
        Catalog catalog = Catalog.scan(plan.name(), dests);
        Optional<Catalog.Backup> latest = catalog.find("latest");
        if (latest.isEmpty()) {
            return new DrillReport(plan.name(), null, started, List.of(), "plan '" + plan.name() + "' has no complete backup"
                    + (catalog.unreachable().isEmpty() ? "" : " at the reachable destinations (unreachable: " + catalog.unreachable() + ")"));
        }
        Catalog.Backup b = latest.get();
        List<Catalog.Backup> chain;
        try {
            chain = Chain.of(catalog, b);
        } catch (Chain.Broken e) {
            return new DrillReport(plan.name(), b.id(), started, List.of(), e.getMessage());
        }
        Optional<String> from = dests.keySet().stream()
                .filter(d -> chain.stream().allMatch(link -> link.destinations().contains(d))).findFirst();
        if (from.isEmpty()) {
            return new DrillReport(plan.name(), b.id(), started, List.of(), "no destination holds the whole chain of " + b.id());
        }
        List<DrillReport.SourceResult> results = new ArrayList<>();
        for (Manifest.Entry e : b.manifest().objects()) {
            results.add(drill(e, b.manifest(), chain, dests.get(from.get())));
        }
        return new DrillReport(plan.name(), b.id(), started, results, null, plan.drill().rto());
    }

    private DrillReport.SourceResult drill(Manifest.Entry entry, Manifest manifest, List<Catalog.Backup> chain, Destination d) {
        String name = entry.source();
        SourceSpec spec = plan.source(name).orElse(null);
        List<DrillSpec.Check> checks = spec == null ? List.of() : plan.drill().checksOf(name);
        Source source;
        try {
            source = engine.source(plan, name).orElseThrow(() -> new IllegalStateException(
                    "plan '" + plan.name() + "' no longer has source '" + name + "'"));
        } catch (RuntimeException ex) {
            return new DrillReport.SourceResult(name, d.name(), null, List.of(), message(ex));
        }
        Duration took = null;
        List<DrillReport.CheckResult> checked = new ArrayList<>();
        String error = null;
        try (Scratch scratch = scratch(spec)) {
            long t0 = System.nanoTime();
            RestoreRequest request = new RestoreRequest(scratch.target(), false, false, line -> log.accept(line));
            if (manifest.incremental() && entry.hasIndex() && source instanceof IncrementalSource inc) {
                restoreChain(d, chain, name, inc, request);
            } else {
                restoreOne(d, manifest, entry, source, request);
            }
            took = Duration.ofNanos(System.nanoTime() - t0);
            for (DrillSpec.Check c : checks) {
                checked.add(check(scratch, c));
            }
        } catch (IOException | RuntimeException ex) {
            error = message(ex);
        }
        return new DrillReport.SourceResult(name, d.name(), took, checked, error);
    }

    /** {@code spec} is null for an object that is no plan source of its own (a source's extra, such as an export): a directory. */
    private static Scratch scratch(SourceSpec spec) throws IOException {
        Optional<SourceKind> kind = spec == null ? Optional.empty() : SourceKinds.find(spec.kind());
        return kind.isPresent() ? kind.get().drillScratch(spec) : new DirScratch();
    }

    private static DrillReport.CheckResult check(Scratch scratch, DrillSpec.Check c) {
        try {
            long actual = scratch.measure(c);
            return new DrillReport.CheckResult(c.what(), c.expectation(), actual, c.passes(actual), null);
        } catch (IOException | RuntimeException e) {
            return new DrillReport.CheckResult(c.what(), c.expectation(), null, false, message(e));
        }
    }

    private void restoreOne(Destination d, Manifest m, Manifest.Entry e, Source source, RestoreRequest request) throws IOException {
        if (e.chunked()) {
            // each chunk is checked against its name as it is read, and read from another destination when bad here
            List<Destination> order = new java.util.ArrayList<>(List.of(d));
            engine.destinations(plan).values().stream().filter(x -> !x.name().equals(d.name())).forEach(order::add);
            try (InputStream dump = unpacker.openChunks(plan.name(), m, e, order)) {
                source.restore(dump, request);
            }
            return;
        }
        String key = Layout.object(plan.name(), m.id(), e.object());
        try (InputStream stored = d.open(key)) {
            VerifiedStream verified = new VerifiedStream(stored, d.name() + ": " + key, e.bytes(), e.sha256());
            try (InputStream dump = unpacker.open(new KeepOpen(verified), m)) {
                source.restore(dump, request);
            }
            verified.verify();
        }
    }

    /** The chain's full first, then each incremental holding the source: its deletions (index), then its tar. */
    private void restoreChain(Destination d, List<Catalog.Backup> chain, String name, IncrementalSource src,
                              RestoreRequest request) throws IOException {
        boolean first = true;
        for (Catalog.Backup link : chain) {
            Optional<Manifest.Entry> le = link.manifest().object(name);
            if (le.isEmpty()) {
                continue;
            }
            Manifest lm = link.manifest();
            Manifest.Entry e = le.get();
            if (first) {
                restoreOne(d, lm, e, src, request);
                first = false;
                continue;
            }
            String key = Layout.object(plan.name(), link.id(), e.object());
            String indexKey = Layout.object(plan.name(), link.id(), e.index());
            try (InputStream stored = d.open(key); InputStream storedIndex = d.open(indexKey)) {
                VerifiedStream verified = new VerifiedStream(stored, d.name() + ": " + key, e.bytes(), e.sha256());
                VerifiedStream verifiedIndex = new VerifiedStream(storedIndex, d.name() + ": " + indexKey, e.indexBytes(), e.indexSha256());
                try (InputStream dump = unpacker.open(new KeepOpen(verified), lm);
                     InputStream index = unpacker.open(new KeepOpen(verifiedIndex), lm)) {
                    src.restoreIncrement(dump, index, request);
                }
                verified.verify();
                verifiedIndex.verify();
            }
        }
    }

    private static String message(Exception e) {
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    /** Lets a restore close its stream without closing the stored object before it is verified. */
    private static final class KeepOpen extends FilterInputStream {
        KeepOpen(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }
}
