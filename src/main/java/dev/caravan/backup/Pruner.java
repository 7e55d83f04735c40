package dev.caravan.backup;

import dev.caravan.destination.Destination;
import dev.caravan.io.Failures;
import dev.caravan.model.Plan;
import dev.caravan.retention.BackupRef;
import dev.caravan.retention.Decision;
import dev.caravan.retention.RetentionPolicy;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies a plan's retention at each of its destinations (each destination decides over the
 * backups it holds) and removes what runs that died left behind. The caller holds the plan's lock,
 * so a backup folder without a manifest is never one still being written (except {@code currentId}).
 */
public final class Pruner {
    private final Plan plan;
    private final Map<String, Destination> destinations;

    public Pruner(Plan plan, Map<String, Destination> destinations) {
        this.plan = plan;
        this.destinations = destinations;
    }

    /** What a prune did or (dry run) would do. */
    public record Report(Map<String, Decision> decisions, List<String> lines, Map<String, String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    public Report prune(boolean dryRun, String currentId) {
        Catalog catalog = Catalog.withLeftovers(plan.name(), destinations);
        Map<String, Decision> decisions = new LinkedHashMap<>();
        List<String> lines = new ArrayList<>();
        Map<String, String> problems = new LinkedHashMap<>(catalog.unreachable());
        String verb = dryRun ? "would remove" : "removed";
        for (Catalog.Incomplete inc : catalog.incomplete()) {
            if (inc.id().equals(currentId)) {
                continue;
            }
            Destination d = destinations.get(inc.destination());
            try {
                if (!dryRun) {
                    for (String key : inc.partials()) {
                        d.deletePartial(key);
                    }
                    for (String key : inc.keys()) {
                        d.delete(key);
                    }
                }
                lines.add(inc.destination() + ": " + verb + " " + inc.describe());
            } catch (IOException | RuntimeException e) {
                problems.put(inc.destination(), "cannot remove " + inc.describe() + ": " + Failures.rootCause(e));
            }
        }
        // ids of runs started within the same second are moved on a second each, so the run's own
        // id may be a little ahead of the clock: that is not clock skew
        Instant now = now(catalog, currentId);
        for (Map.Entry<String, Destination> d : destinations.entrySet()) {
            if (catalog.unreachable().containsKey(d.getKey())) {
                continue;
            }
            List<BackupRef> refs = catalog.backupsAt(d.getKey()).stream().map(Pruner::ref).toList();
            Decision decision = ChainGuard.keepNeeded(RetentionPolicy.decide(refs, plan.retention(), plan.timezone(), now),
                    catalog.backupsAt(d.getKey()));
            decisions.put(d.getKey(), decision);
            java.util.Set<String> removed = new java.util.HashSet<>();
            for (BackupRef gone : decision.prune()) {
                try {
                    if (!dryRun) {
                        delete(d.getValue(), plan.name(), gone.id());
                    }
                    removed.add(gone.id());
                    lines.add(d.getKey() + ": " + verb + " " + gone.id() + " (" + decision.whyPruned(gone.id()) + ")");
                } catch (IOException | RuntimeException e) {
                    problems.put(d.getKey(), "cannot remove " + gone.id() + ": " + e.getMessage());
                }
            }
            pruneWal(d.getKey(), d.getValue(), catalog, decision, dryRun, lines, problems);
            pruneChunks(d.getKey(), d.getValue(), catalog, removed, dryRun, lines, problems);
        }
        return new Report(decisions, lines, problems);
    }

    /** Removes the archived WAL that no kept base backup at the destination needs ({@link WalRetention}). */
    private void pruneWal(String name, Destination d, Catalog catalog, Decision decision, boolean dryRun,
                          List<String> lines, Map<String, String> problems) {
        List<Catalog.Backup> kept = decision.kept().stream().map(k -> catalog.find(k.backup().id()))
                .flatMap(java.util.Optional::stream).toList();
        try {
            for (WalRetention.Removal r : new WalRetention(plan.name()).plan(d, kept)) {
                if (!dryRun) {
                    WalRetention.delete(d, r);
                }
                lines.add(name + ": " + r.describe(dryRun ? "would remove" : "removed"));
            }
        } catch (IOException | RuntimeException e) {
            problems.put(name, "cannot remove old WAL: " + e.getMessage());
        }
    }

    /**
     * Removes the chunks ({@code <plan>/chunks/}) that no backup still at the destination needs, judged by
     * that destination's own manifests ({@code pruned}: the backups this prune removed there), and what
     * interrupted chunk writes left. Runs after the pruned
     * backups' manifests are gone, so a prune killed anywhere never removes a chunk a kept backup needs,
     * and the next prune collects what it left. A manifest at the destination that cannot be read
     * (damaged, or the read failed) leaves every chunk there alone.
     */
    private void pruneChunks(String name, Destination d, Catalog catalog, java.util.Set<String> pruned, boolean dryRun,
                             List<String> lines, Map<String, String> problems) {
        if (!plan.dedup() && catalog.chunkBytesAt(name) == 0) {
            return; // never deduplicated here: no chunk folder to look at
        }
        try {
            Map<String, Long> held = Chunks.held(d, plan.name());
            List<Destination.StoredObject> partials = d.listPartial(Layout.chunkPrefix(plan.name()));
            if (held.isEmpty() && partials.isEmpty()) {
                return;
            }
            Optional<Catalog.Damaged> damaged = catalog.damaged().stream().filter(x -> x.destination().equals(name)).findFirst();
            if (damaged.isPresent()) {
                problems.put(name, "chunks left alone: manifest.json of " + damaged.get().id() + " is damaged, so what it needs is unknown");
                return;
            }
            List<Manifest> kept = new ArrayList<>();
            for (Catalog.Backup b : catalog.backupsAt(name)) {
                if (!pruned.contains(b.id())) {
                    kept.add(catalog.manifestAt(b.id(), name));
                }
            }
            java.util.Set<String> needed = Chunks.needed(kept);
            int n = 0;
            long bytes = 0;
            for (Map.Entry<String, Long> c : held.entrySet()) {
                if (!needed.contains(c.getKey())) {
                    if (!dryRun) {
                        d.delete(Layout.chunk(plan.name(), c.getKey()));
                    }
                    n++;
                    bytes += c.getValue();
                }
            }
            for (Destination.StoredObject p : partials) {
                if (!dryRun) {
                    d.deletePartial(p.key());
                }
            }
            if (n > 0 || !partials.isEmpty()) {
                lines.add(name + ": " + (dryRun ? "would remove " : "removed ") + n + " unreferenced chunk" + (n == 1 ? "" : "s")
                        + " (" + bytes + " bytes)" + (partials.isEmpty() ? "" : " and " + partials.size() + " partial chunk write(s)"));
            }
        } catch (IOException | RuntimeException e) {
            problems.put(name, "cannot remove unreferenced chunks: " + Failures.rootCause(e));
        }
    }

    /**
     * The clock, or the newest backup's id time when that is up to a minute ahead: ids of runs
     * started within the same second are moved on a second each, so the newest id may be a little
     * ahead of the clock, and that is not clock skew (which retention keeps apart, never prunes).
     */
    private static Instant now(Catalog catalog, String currentId) {
        Instant clock = Instant.now();
        Instant newest = currentId != null ? BackupId.time(currentId) : null;
        for (Catalog.Backup b : catalog.backups()) {
            Instant t = BackupId.time(b.id());
            if (newest == null || t.isAfter(newest)) {
                newest = t;
            }
        }
        return newest != null && newest.isAfter(clock) && newest.isBefore(clock.plusSeconds(60)) ? newest : clock;
    }

    public static BackupRef ref(Catalog.Backup b) {
        return new BackupRef(b.id(), BackupId.time(b.id()), b.size(), b.manifest().label());
    }

    /** Removes one backup from one destination: the manifest first, so it stops counting at once, then its objects. */
    public static int delete(Destination d, String plan, String id) throws IOException {
        List<Destination.StoredObject> objects = d.list(Layout.backupPrefix(plan, id));
        String manifest = Layout.manifest(plan, id);
        d.delete(manifest);
        int n = 0;
        for (Destination.StoredObject o : objects) {
            if (!o.key().equals(manifest)) {
                d.delete(o.key());
            }
            n++;
        }
        return n;
    }
}
