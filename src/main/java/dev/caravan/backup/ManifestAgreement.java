package dev.caravan.backup;

import dev.caravan.destination.Destination;
import dev.caravan.verify.CopyCheck;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Whether the copies of one backup's manifest agree. Every destination gets the same manifest.json,
 * byte for byte (a run writes one file to all, {@code replicate} copies it), so one that differs was
 * damaged or changed afterwards. The odd one out is the manifest held by fewer destinations; between
 * as many, the one whose destination's copies do not match it.
 */
public final class ManifestAgreement {
    private ManifestAgreement() {
    }

    /**
     * The holders of one backup whose own manifest can be trusted as a source of copies, in plan order, each with
     * its manifest; and one sentence for each destination whose manifest cannot ({@code nas: manifest.json of ...}):
     * damaged (does not parse), unreadable, or disagreeing with the others ({@link #disagreements}).
     */
    public record Trust(Map<String, Manifest> trusted, Map<String, String> distrusted) {
        /** The manifest of the first trusted holder (they all agree), if any. */
        public Optional<Manifest> manifest() {
            return trusted.values().stream().findFirst();
        }
    }

    /**
     * Judges each holder of {@code b} by its own manifest.json, as {@code verify} does. Only when the copies of the
     * manifest disagree are the holders' copies checked ({@code copyProblem}: the first of a holder's objects that
     * does not match that holder's own manifest, or empty), to tell which manifest was changed.
     */
    public static Trust judge(Catalog catalog, Catalog.Backup b, BiFunction<String, Manifest, Optional<String>> copyProblem) {
        Map<String, Manifest> manifests = new LinkedHashMap<>();
        Map<String, String> distrusted = new LinkedHashMap<>();
        for (Catalog.Damaged dm : catalog.damaged()) {
            if (dm.id().equals(b.id())) {
                distrusted.put(dm.destination(), dm.destination() + ": manifest.json of " + b.id() + " is damaged (" + dm.problem() + ")");
            }
        }
        for (String d : b.destinations()) {
            try {
                manifests.put(d, catalog.manifestAt(b.id(), d));
            } catch (java.io.IOException | RuntimeException e) {
                distrusted.put(d, d + ": cannot read manifest.json of " + b.id() + ": " + e.getMessage());
            }
        }
        if (new HashSet<>(manifests.values()).size() > 1) {
            Map<String, Integer> badCopies = new LinkedHashMap<>();
            manifests.forEach((d, m) -> badCopies.put(d, copyProblem.apply(d, m).isPresent() ? 1 : 0));
            for (String line : disagreements(b.id(), manifests, badCopies)) {
                distrusted.put(line.substring(0, line.indexOf(':')), line);
            }
        }
        Map<String, Manifest> trusted = new LinkedHashMap<>(manifests);
        trusted.keySet().removeAll(distrusted.keySet());
        return new Trust(trusted, distrusted);
    }

    /**
     * One sentence per destination whose manifest disagrees, each starting {@code <destination>: }:
     * {@code nas: manifest.json of 20250101T000000Z disagrees with the one at s3 (db.sql.zst: SHA-256)}.
     *
     * @param manifests  the manifest each holder has, by destination
     * @param badCopies  how many of each destination's objects did not match its own manifest
     */
    public static List<String> disagreements(String id, Map<String, Manifest> manifests, Map<String, Integer> badCopies) {
        Map<Manifest, List<String>> groups = new LinkedHashMap<>();
        manifests.forEach((d, m) -> groups.computeIfAbsent(m, k -> new ArrayList<>()).add(d));
        List<String> lines = new ArrayList<>();
        if (groups.size() < 2) {
            return lines;
        }
        Manifest reference = reference(groups, badCopies);
        for (Map.Entry<Manifest, List<String>> g : groups.entrySet()) {
            if (g.getKey().equals(reference)) {
                continue;
            }
            Manifest other = reference != null ? reference : groups.keySet().stream().filter(m -> !m.equals(g.getKey())).findFirst().orElseThrow();
            List<String> others = groups.get(other);
            for (String d : g.getValue()) {
                lines.add(d + ": manifest.json of " + id + " disagrees with the one at " + String.join(", ", others)
                        + " (" + String.join(", ", differences(g.getKey(), other)) + ")"
                        + (reference != null ? "; it was changed after the backup was written" : "; cannot tell which is right"));
            }
        }
        return lines;
    }

    /**
     * The first of {@code entries} whose copy at {@code d} does not match them (an object or its index read back
     * and compared; a deduplicated object's chunks all listed there), as one sentence; empty when all match.
     *
     * @param heldChunks per destination, the chunks it holds: filled on first need, shared between calls
     */
    public static Optional<String> firstBadCopy(Destination d, String plan, String id, List<Manifest.Entry> entries,
                                                Map<String, Map<String, Long>> heldChunks) {
        for (Manifest.Entry e : entries) {
            Optional<String> problem;
            if (e.chunked()) {
                try {
                    Map<String, Long> held = heldChunks.get(d.name());
                    if (held == null) {
                        held = Chunks.held(d, plan);
                        heldChunks.put(d.name(), held);
                    }
                    problem = Chunks.missing(d.name(), id, e, held);
                } catch (java.io.IOException | RuntimeException x) {
                    problem = Optional.of(d.sentence(x));
                }
            } else {
                problem = CopyCheck.check(d, Layout.object(plan, id, e.object()), e.bytes(), e.sha256());
                if (problem.isEmpty() && e.hasIndex()) {
                    problem = CopyCheck.check(d, Layout.object(plan, id, e.index()), e.indexBytes(), e.indexSha256());
                }
            }
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    /** The manifest most destinations hold; between as many, the only one whose copies all match it; else none. */
    private static Manifest reference(Map<Manifest, List<String>> groups, Map<String, Integer> badCopies) {
        int most = groups.values().stream().mapToInt(List::size).max().orElse(0);
        List<Manifest> largest = groups.entrySet().stream().filter(e -> e.getValue().size() == most).map(Map.Entry::getKey).toList();
        if (largest.size() == 1) {
            return largest.get(0);
        }
        List<Manifest> clean = largest.stream()
                .filter(m -> groups.get(m).stream().allMatch(d -> badCopies.getOrDefault(d, 0) == 0)).toList();
        return clean.size() == 1 ? clean.get(0) : null;
    }

    /** What differs, object by object ({@code db.sql.zst: SHA-256}), or the manifest's other fields. */
    static List<String> differences(Manifest a, Manifest b) {
        List<String> out = new ArrayList<>();
        Map<String, Manifest.Entry> theirs = new LinkedHashMap<>();
        b.objects().forEach(e -> theirs.put(e.object(), e));
        for (Manifest.Entry e : a.objects()) {
            Manifest.Entry o = theirs.remove(e.object());
            if (o == null) {
                out.add(e.object() + ": only here");
                continue;
            }
            List<String> fields = new ArrayList<>();
            if (e.bytes() != o.bytes()) {
                fields.add("size");
            }
            if (!Objects.equals(e.sha256(), o.sha256())) {
                fields.add("SHA-256");
            }
            if (!Objects.equals(e.indexBytes(), o.indexBytes()) || !Objects.equals(e.indexSha256(), o.indexSha256())) {
                fields.add("index");
            }
            if (fields.isEmpty() && !e.equals(o)) {
                fields.add("other fields");
            }
            if (!fields.isEmpty()) {
                out.add(e.object() + ": " + String.join(" and ", fields));
            }
        }
        theirs.keySet().forEach(k -> out.add(k + ": missing here"));
        if (out.isEmpty()) {
            out.add("fields other than the objects");
        }
        return out;
    }
}
