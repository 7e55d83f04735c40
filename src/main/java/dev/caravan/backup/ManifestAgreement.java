package dev.caravan.backup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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
