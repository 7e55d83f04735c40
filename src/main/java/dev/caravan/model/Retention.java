package dev.caravan.model;

import java.time.Duration;
import java.util.Map;

/**
 * {@code retention { keepLast 3; hourly 24; daily 7; weekly 4; monthly 12; yearly 3; within '2d';
 * maxTotalSize '50 GB' }}. A zero count means the rule is off; {@code within} and
 * {@code maxTotalSizeBytes} may be null. {@code labels} holds separate rules for backups with a
 * given label ({@code label('pre-update') { keepLast 2 }}).
 */
public record Retention(int keepLast, int hourly, int daily, int weekly, int monthly, int yearly,
                        Duration within, Long maxTotalSizeBytes, Map<String, Retention> labels) {
    /** No retention block: keep everything. */
    public static final Retention KEEP_ALL = new Retention(0, 0, 0, 0, 0, 0, null, null, Map.of());

    public Retention {
        labels = Map.copyOf(labels);
    }

    /** True when no rule is set, so nothing is ever pruned. */
    public boolean keepsEverything() {
        return keepLast == 0 && hourly == 0 && daily == 0 && weekly == 0 && monthly == 0 && yearly == 0
                && within == null && maxTotalSizeBytes == null;
    }
}
