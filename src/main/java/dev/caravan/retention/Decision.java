package dev.caravan.retention;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of {@link RetentionPolicy#decide}: every backup given is in exactly one of the two
 * lists, both ordered newest first.
 *
 * @param kept  the backups to keep, each with the rules that keep it
 * @param prune the backups to delete
 */
public record Decision(List<Kept> kept, List<BackupRef> prune) {
    public Decision {
        kept = List.copyOf(kept);
        prune = List.copyOf(prune);
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
