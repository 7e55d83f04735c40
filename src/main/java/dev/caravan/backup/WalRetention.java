package dev.caravan.backup;

import dev.caravan.destination.Destination;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Retention for archived WAL at one destination: per source, every segment from the start segment of
 * the oldest kept base backup on is kept, with every timeline history file; older segments, their
 * {@code .partial} and {@code .backup} files go. Names compare by WAL position without the timeline, as
 * {@code pg_archivecleanup} does. When a kept base backup of the source does not record its start
 * segment (written by an older Caravan), or no kept backup holds the source, nothing of it is removed.
 */
public final class WalRetention {
    private final String plan;

    public WalRetention(String plan) {
        this.plan = plan;
    }

    /** What goes for one source: the keys (oldest first), kept from {@code keepFrom}, the start of base backup {@code backupId}. */
    public record Removal(String source, String keepFrom, String backupId, List<String> keys, List<String> names) {
        /** {@code removed 4 WAL files of app: 0000...02 .. 0000...05 (before 0000...06, where base backup ID starts)}. */
        public String describe(String verb) {
            return verb + " " + keys.size() + " WAL file" + (keys.size() == 1 ? "" : "s") + " of " + source + ": " + names.get(0)
                    + (names.size() > 1 ? " .. " + names.get(names.size() - 1) : "")
                    + " (before " + keepFrom + ", where the oldest kept base backup " + backupId + " starts)";
        }
    }

    /** The WAL that the backups {@code kept} at {@code d} no longer need, per source; lists, deletes nothing. */
    public List<Removal> plan(Destination d, List<Catalog.Backup> kept) throws IOException {
        List<Removal> removals = new ArrayList<>();
        for (Map.Entry<String, Start> start : oldestStarts(kept).entrySet()) {
            String source = start.getKey();
            String keepFrom = start.getValue().segment();
            String limit = WalSegment.position(keepFrom);
            String prefix = Layout.walPrefix(plan, source);
            Map<String, String> old = new LinkedHashMap<>();
            for (Destination.StoredObject o : d.list(prefix)) {
                String fileName = o.key().substring(prefix.length());
                String name = fileName.contains("/") ? null : WalSegment.nameOf(fileName);
                String position = WalSegment.position(name);
                if (position != null && position.compareTo(limit) < 0) {
                    old.put(o.key(), name);
                }
            }
            if (!old.isEmpty()) {
                List<Map.Entry<String, String>> sorted = old.entrySet().stream()
                        .sorted(Comparator.comparing((Map.Entry<String, String> e) -> WalSegment.position(e.getValue()))
                                .thenComparing(Map.Entry::getValue))
                        .toList();
                removals.add(new Removal(source, keepFrom, start.getValue().backupId(), sorted.stream().map(Map.Entry::getKey).toList(),
                        sorted.stream().map(Map.Entry::getValue).toList()));
            }
        }
        return removals;
    }

    /** Deletes a removal's keys oldest first, so that a run cut short leaves no gap in what stays. */
    public static void delete(Destination d, Removal r) throws IOException {
        for (String key : r.keys()) {
            d.delete(key);
        }
    }

    private record Start(String segment, String backupId) {
    }

    /** Per source with a base backup among {@code kept}: its oldest start segment and that backup's id; none if any is unknown. */
    private static Map<String, Start> oldestStarts(List<Catalog.Backup> kept) {
        Map<String, Start> oldest = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (Catalog.Backup b : kept) {
            for (Manifest.Entry e : b.manifest().objects()) {
                if (!"postgres".equals(e.type()) || !e.object().contains(".pgbase.")) {
                    continue;
                }
                String position = WalSegment.position(e.walStart());
                if (position == null) {
                    unknown.add(e.source());
                    continue;
                }
                Start known = oldest.get(e.source());
                if (known == null || position.compareTo(WalSegment.position(known.segment())) < 0) {
                    oldest.put(e.source(), new Start(e.walStart(), b.id()));
                }
            }
        }
        unknown.forEach(oldest::remove);
        return oldest;
    }
}
