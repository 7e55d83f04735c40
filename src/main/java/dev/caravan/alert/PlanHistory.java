package dev.caravan.alert;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What alerts remember about a plan between runs and restarts, kept as JSON in
 * {@code <state>/alerts/<plan>.json}: the last outcome (for {@code recovered}), the last good
 * backup (for {@code stale}), recent sizes (for {@code anomaly}) and when each alert was last sent
 * (rate limit). Jackson reads and writes it through the public fields.
 */
public final class PlanHistory {
    /** ok, partial or failure; null before the first run. */
    public String lastOutcome;
    /** The end of the newest run that stored a copy somewhere (ISO instant), or null. */
    public String lastGood;
    /** Sizes of recent runs that stored a copy, oldest first (at most {@link AlertDecider#MEDIAN_OF}). */
    public List<Long> recentSizes = new ArrayList<>();
    /** Alert key (event + error) to when it was last sent (ISO instant). */
    public Map<String, String> sent = new LinkedHashMap<>();

    public Instant lastGoodTime() {
        return lastGood == null ? null : Instant.parse(lastGood);
    }

    public String lastOutcome() {
        return lastOutcome;
    }

    public List<Long> recentSizes() {
        return recentSizes;
    }

    void recordSize(long size) {
        recentSizes.add(size);
        while (recentSizes.size() > AlertDecider.MEDIAN_OF) {
            recentSizes.remove(0);
        }
    }
}
