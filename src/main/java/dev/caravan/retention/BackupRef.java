package dev.caravan.retention;

import java.time.Instant;
import java.util.Objects;

/**
 * What retention needs to know about one stored backup.
 *
 * @param id        the backup id, e.g. {@code 20250315T143022Z}; unique within the list given to
 *                  {@link RetentionPolicy#decide}
 * @param time      when the backup was taken
 * @param sizeBytes stored size, counted against {@code maxTotalSize}
 * @param label     the run's label ({@code manual}, {@code scheduled}, {@code pre-update}, ...), or null
 */
public record BackupRef(String id, Instant time, long sizeBytes, String label) {
    public BackupRef {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(time, "time");
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("backup " + id + ": size must not be negative, was " + sizeBytes);
        }
    }
}
