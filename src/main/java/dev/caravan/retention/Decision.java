package dev.caravan.retention;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of {@link RetentionPolicy#decide}: every backup given is in exactly one of the two
 * lists, both ordered newest first.
 *
 * @param kept         the backups to keep, each with the rules that keep it
 * @param prune        the backups to delete
 * @param pruneReasons why each backup in {@code prune} goes, by id: {@link #NO_RULE_KEEPS_IT}, or for
 *                     a backup some rule kept, the size cap that dropped it and by how much the set
 *                     was over it; a backup missing from the map gets {@link #NO_RULE_KEEPS_IT}
 */
public record Decision(List<Kept> kept, List<BackupRef> prune, Map<String, String> pruneReasons) {
    public static final String NO_RULE_KEEPS_IT = "no retention rule keeps it";

    public Decision {
        kept = List.copyOf(kept);
        prune = List.copyOf(prune);
        Map<String, String> why = new LinkedHashMap<>();
        for (BackupRef b : prune) {
            why.put(b.id(), pruneReasons.getOrDefault(b.id(), NO_RULE_KEEPS_IT));
        }
        pruneReasons = Collections.unmodifiableMap(why);
    }

    /** Every pruned backup for the reason {@link #NO_RULE_KEEPS_IT}. */
    public Decision(List<Kept> kept, List<BackupRef> prune) {
        this(kept, prune, Map.of());
    }

    /** Why {@code id} (one of {@link #prune()}) is pruned. */
    public String whyPruned(String id) {
        return pruneReasons.getOrDefault(id, NO_RULE_KEEPS_IT);
    }

    /**
     * One kept backup and why: e.g. {@code ["keepLast 3", "daily 2025-03-15"]}, or
     * {@code ["label pre-update: keepLast 2"]} for a backup decided by a label's own rules.
     * Never empty.
     */
    public record Kept(BackupRef backup, List<String> reasons) {
        public Kept {
            Objects.requireNonNull(backup, "backup");
            reasons = List.copyOf(reasons);
            if (reasons.isEmpty()) {
                throw new IllegalArgumentException("backup " + backup.id() + ": a kept backup needs a reason");
            }
        }
    }
}
