package dev.caravan.cli;

import dev.caravan.audit.AuditLog;
import dev.caravan.backup.Catalog;
import dev.caravan.backup.Chain;
import dev.caravan.backup.Layout;
import dev.caravan.backup.Manifest;
import dev.caravan.backup.ManifestAgreement;
import dev.caravan.backup.Unpacker;
import dev.caravan.destination.Destination;
import dev.caravan.io.Redact;
import dev.caravan.model.Plan;
import dev.caravan.pipeline.BackupRequest;
import dev.caravan.pipeline.BackupResult;
import dev.caravan.pipeline.Engine;
import dev.caravan.source.IncrementalSource;
import dev.caravan.source.RestoreRequest;
import dev.caravan.source.Source;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

@Command(name = "restore", description = "Restore sources of a backup: back where they came from, or --to a directory, database or URL.")
final class RestoreCommand extends PlanCommand {
    @Parameters(index = "1", paramLabel = "ID", description = "A backup id, or 'latest'.")
    String id;

    @Option(names = "--plan", paramLabel = "P", description = "The plan (needed when the file has several).")
    String plan;

    @Option(names = "--from", paramLabel = "D", description = "Read from this destination (default: the first whose copy verifies).")
    String from;

    @Option(names = "--only", split = ",", paramLabel = "SOURCE", description = "Only these sources.")
    List<String> only = new ArrayList<>();

    @Option(names = "--to", paramLabel = "TARGET", description = "A directory, a database name or a URL; default: where each source came from.")
    String to;

    @Option(names = "--to-time", paramLabel = "TIME", description = "Point-in-time recovery of a postgres source with continuous true:"
            + " unpack the base backup into --to DIR and replay archived WAL up to TIME ('YYYY-MM-DD HH:MM:SS[+TZ]').")
    String toTime;

    @Option(names = "--dry-run", description = "Say what would be restored; change nothing.")
    boolean dryRun;

    @Option(names = "--force", description = "Overwrite a non-empty target.")
    boolean force;

    @Option(names = "--no-safety", description = "With --force and no --to: do not first back up what will be overwritten.")
    boolean noSafety;

    @Option(names = "--identity", paramLabel = "FILE", description = "age identity (secret key) file; default $CARAVAN_AGE_IDENTITY.")
    List<Path> identities = new ArrayList<>();

    @Override
    int execute() throws Exception {
        Plan p = onePlan(plan);
        Backups.checkId(id);
        if (toTime != null) {
            PointInTime.checkTarget(toTime, to);
        }
        try (Engine engine = engine()) {
            Map<String, Destination> dests = Backups.destinations(engine, p, from);
            Catalog catalog = Catalog.scan(p.name(), dests);
            Catalog.Backup b;
            try {
                b = Backups.find(catalog, id);
            } catch (Backups.NotFound e) {
                err().println("caravan: " + e.getMessage());
                return FAILED;
            }
            Manifest m = b.manifest();
            List<Catalog.Backup> chain;
            try {
                chain = Chain.of(catalog, b);
            } catch (Chain.Broken e) {
                err().println("caravan: " + e.getMessage());
                return FAILED;
            }
            List<Manifest.Entry> entries = select(m);
            List<Source> sources = new ArrayList<>();
            for (Manifest.Entry e : entries) {
                sources.add(engine.source(p, e.source()).orElseThrow(() -> new UsageException("plan '" + p.name()
                        + "' no longer has source '" + e.source() + "'; add it back to the plan file to restore it")));
            }
            if (toTime != null) {
                PointInTime.checkSources(sources);
            }
            Optional<Copy> copy = chooseCopy(p, catalog, chain, dests, entries);
            if (copy.isEmpty()) {
                err().println("caravan: no destination holds a copy of " + m.id() + " that verifies");
                return FAILED;
            }
            Optional<String> copyAt = copy.map(Copy::destination);
            Destination d = dests.get(copyAt.get());
            // from here on, the chosen destination's own manifests: its copies were checked against them
            m = copy.get().manifests().get(b.id());
            if (sameSources(m, entries).size() != entries.size()) {
                err().println("caravan: " + copyAt.get() + "'s manifest.json of " + m.id() + " lacks some of the sources to restore");
                return FAILED;
            }
            entries = sameSources(m, entries);
            if (to == null && force && !dryRun && !noSafety) {
                out().println("saving what will be overwritten as a 'pre-restore' backup first (skip with --no-safety)");
                BackupResult safety = engine.backup(p, new BackupRequest("pre-restore", "before restoring " + m.id(),
                        entries.stream().map(Manifest.Entry::source).toList()));
                if (!safety.storedSomewhere()) {
                    err().println("caravan: the pre-restore safety backup failed, nothing was restored: "
                            + safety.sources().stream().filter(s -> s.error() != null).map(BackupResult.SourceOutcome::error).findFirst()
                            .orElse(String.valueOf(safety.destinations())));
                    return FAILED;
                }
                out().println("pre-restore backup " + safety.id() + " stored");
            }
            List<String> restored = entries.stream().map(Manifest.Entry::source).toList();
            String outcome = "failed";
            try {
                Unpacker unpacker = new Unpacker(identities, p.encryption());
                for (int i = 0; i < entries.size(); i++) {
                    Manifest.Entry e = entries.get(i);
                    String target = target(e, entries.size());
                    long t0 = System.nanoTime();
                    out().println((dryRun ? "would restore " : "restoring ") + e.source() + " from " + d.name() + " (" + m.id() + ")"
                            + (target == null ? " to where it came from" : " to " + Redact.text(target)));
                    RestoreRequest request = new RestoreRequest(target, force, dryRun, line -> out().println("  " + line));
                    if (m.incremental() && e.hasIndex() && sources.get(i) instanceof IncrementalSource inc) {
                        restoreChain(p, d, chain, copy.get().manifests(), e.source(), inc, unpacker, request);
                    } else if (e.chunked()) {
                        try (InputStream dump = unpacker.openChunks(p.name(), m, e, Backups.preferring(dests, d))) {
                            sources.get(i).restore(dump, request);
                        }
                    } else {
                        try (InputStream stored = d.open(Layout.object(p.name(), m.id(), e.object()));
                             InputStream dump = unpacker.open(stored, m)) {
                            sources.get(i).restore(dump, request);
                        }
                    }
                    if (toTime != null && PointInTime.applies(sources.get(i))) {
                        PointInTime.prepare(p, e.source(), d, Path.of(target), toTime, unpacker, dryRun, out());
                    }
                    out().println("  " + e.source() + (dryRun ? " checked" : " restored") + " in " + Sizes.duration(Duration.ofNanos(System.nanoTime() - t0)));
                }
                outcome = "ok";
            } finally {
                if (!dryRun) {
                    AuditLog.in(engine.settings().stateDir()).restore(p.name(), m.id(), restored, to, copyAt.get(), outcome);
                }
            }
        }
        return OK;
    }

    /** The chain's full first, then each incremental that holds the source: its deletions, then its tar. */
    private void restoreChain(Plan p, Destination d, List<Catalog.Backup> chain, Map<String, Manifest> manifests, String source,
                              IncrementalSource src, Unpacker unpacker, RestoreRequest request) throws java.io.IOException {
        boolean first = true;
        for (Catalog.Backup link : chain) {
            Manifest lm = manifests.get(link.id());
            Optional<Manifest.Entry> le = lm.object(source);
            if (le.isEmpty()) {
                continue;
            }
            out().println("  " + (first ? "full " : "incremental ") + link.id());
            try (InputStream stored = d.open(Layout.object(p.name(), link.id(), le.get().object()));
                 InputStream dump = unpacker.open(stored, lm)) {
                if (first) {
                    src.restore(dump, request);
                } else {
                    try (InputStream storedIndex = d.open(Layout.object(p.name(), link.id(), le.get().index()));
                         InputStream index = unpacker.open(storedIndex, lm)) {
                        src.restoreIncrement(dump, index, request);
                    }
                }
            }
            first = false;
        }
    }

    private List<Manifest.Entry> select(Manifest m) {
        for (String s : only) {
            if (m.object(s).isEmpty()) {
                throw new UsageException("backup " + m.id() + " has no source '" + s + "'; it has: "
                        + String.join(", ", m.objects().stream().map(Manifest.Entry::source).toList()));
            }
        }
        return m.objects().stream().filter(e -> only.isEmpty() || only.contains(e.source())).toList();
    }

    /** One source restores to the target itself; several to a directory each under it. */
    private String target(Manifest.Entry e, int count) {
        if (to == null || count == 1) {
            return to;
        }
        if (to.contains("://")) {
            throw new UsageException("--to " + Redact.text(to) + " takes one source: pick it with --only");
        }
        return Path.of(to).resolve(e.source()).toString();
    }

    /** The chosen destination and, by backup id, its own manifest of each link of the chain. */
    private record Copy(String destination, Map<String, Manifest> manifests) {
    }

    /** The entries of {@code m} for the sources of {@code selected}, in their order. */
    private static List<Manifest.Entry> sameSources(Manifest m, List<Manifest.Entry> selected) {
        return selected.stream().map(e -> m.object(e.source())).flatMap(Optional::stream).toList();
    }

    /**
     * The first destination (in plan order) that holds the whole chain and whose copies of these sources'
     * objects (and indexes) all match its own manifests; a holder whose manifest is damaged or disagrees with
     * the others' ({@link ManifestAgreement#judge}) is named and skipped, and so is one whose copy does not match.
     */
    private Optional<Copy> chooseCopy(Plan p, Catalog catalog, List<Catalog.Backup> chain, Map<String, Destination> dests,
                                      List<Manifest.Entry> entries) {
        Map<String, Map<String, Long>> held = new HashMap<>();
        Map<String, ManifestAgreement.Trust> trust = new LinkedHashMap<>();
        Set<String> named = new LinkedHashSet<>();
        for (Catalog.Backup link : chain) {
            ManifestAgreement.Trust t = ManifestAgreement.judge(catalog, link, (d, m) ->
                    ManifestAgreement.firstBadCopy(dests.get(d), p.name(), link.id(), sameSources(m, entries), held));
            trust.put(link.id(), t);
            t.distrusted().forEach((d, why) -> {
                err().println("caravan: skipping " + why);
                named.add(d);
            });
        }
        for (String name : dests.keySet()) {
            if (named.contains(name) || !chain.stream().allMatch(link -> trust.get(link.id()).trusted().containsKey(name))) {
                continue;
            }
            Map<String, Manifest> own = new LinkedHashMap<>();
            Optional<String> problem = Optional.empty();
            for (Catalog.Backup link : chain) {
                Manifest m = trust.get(link.id()).trusted().get(name);
                own.put(link.id(), m);
                problem = ManifestAgreement.firstBadCopy(dests.get(name), p.name(), link.id(), sameSources(m, entries), held);
                if (problem.isPresent()) {
                    break;
                }
            }
            if (problem.isEmpty()) {
                return Optional.of(new Copy(name, own));
            }
            err().println("caravan: skipping " + name + ": " + problem.get());
        }
        return Optional.empty();
    }
}
