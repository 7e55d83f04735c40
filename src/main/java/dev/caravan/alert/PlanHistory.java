package dev.caravan.alert;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What alerts remember about a plan between runs and restarts, kept as JSON in
 * {@code <state>/alerts/<plan>-<key>.json} ({@link Alerts#stateFile}): the last outcome (for
 * {@code recovered}), the last good backup (for {@code stale}), recent sizes (for {@code anomaly}),
 * when each alert was last sent (rate limit) and the last alert sent (for {@code status}). Jackson
 * reads and writes it through the public fields; fields it does not know are ignored.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class PlanHistory {
    /** The plan file (absolute) and the plan this state belongs to, for an operator reading it. */
    public String planFile;
    public String plan;
    /** ok, partial or failure; null before the first run. */
    public String lastOutcome;
    /** The end of the newest run that stored a copy somewhere (ISO instant), or null. */
    public String lastGood;
    /** Sizes of recent runs that stored a copy, oldest first (at most {@link AlertDecider#MEDIAN_OF}). */
    public List<Long> recentSizes = new ArrayList<>();
    /** Alert key (event + error) to when it was last sent (ISO instant). */
    public Map<String, String> sent = new LinkedHashMap<>();
    /** The event of the last alert sent to a webhook or by email, and when (ISO instant); null before one. */
    public String lastSentEvent;
    public String lastSent;

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
