package dev.caravan.pipeline;

import java.util.List;

/**
 * What starts a run: the label ({@code manual}, {@code scheduled}, {@code pre-restore}, or the
 * operator's), an optional note, and optionally only some sources (empty = all).
 */
public record BackupRequest(String label, String note, List<String> onlySources) {
    public static final BackupRequest SCHEDULED = new BackupRequest("scheduled", null, List.of());

    public BackupRequest {
        onlySources = List.copyOf(onlySources);
    }
}
