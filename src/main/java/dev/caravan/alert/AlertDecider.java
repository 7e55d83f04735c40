package dev.caravan.alert;

import dev.caravan.pipeline.BackupResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which events a finished run raises, from its result and the plan's recent history. Pure: the
 * caller keeps the history ({@link PlanHistory}) and decides what is sent.
 */
public final class AlertDecider {
    /** How many recent good backups the size median is taken over. */
    public static final int MEDIAN_OF = 7;
    /** Fewer recent sizes than this: no anomaly is decided (except a zero size). */
    public static final int MIN_HISTORY = 3;

    private AlertDecider() {
    }

    /** Events in the order they are sent; {@code failure} and {@code partial} exclude {@code recovered} and {@code success}. */
    public static List<String> decide(BackupResult result, PlanHistory history) {
        List<String> events = new ArrayList<>();
        if (!result.storedSomewhere()) {
            events.add("failure");
            return events;
        }
        if (!result.ok()) {
            events.add("partial");
        }
        anomaly(result.bytes(), history.recentSizes()).ifPresent(a -> events.add("anomaly"));
        if (result.ok()) {
            if (history.lastOutcome() != null && !"ok".equals(history.lastOutcome())) {
                events.add("recovered");
            }
            events.add("success");
        }
        return events;
    }

    /** Why a size is an anomaly against recent sizes: zero, under half or over twice their median. */
    public static Optional<String> anomaly(long size, List<Long> recent) {
        if (size == 0) {
            return Optional.of("the backup is empty (0 bytes)");
        }
        if (recent.size() < MIN_HISTORY) {
            return Optional.empty();
        }
        List<Long> last = new ArrayList<>(recent.subList(Math.max(0, recent.size() - MEDIAN_OF), recent.size()));
        last.sort(null);
        int n = last.size();
        double median = n % 2 == 1 ? last.get(n / 2) : (last.get(n / 2 - 1) + last.get(n / 2)) / 2.0;
        if (size < median / 2 || size > median * 2) {
            return Optional.of("size " + size + " bytes is " + Math.round(100.0 * size / median)
                    + "% of the median of the last " + n + " backups (" + Math.round(median) + " bytes)");
        }
        return Optional.empty();
    }

    /** One sentence for a failed or partial run: the first source error, else the first destination problem. */
    public static String error(BackupResult result) {
        for (BackupResult.SourceOutcome s : result.sources()) {
            if (s.error() != null) {
                return s.error();
            }
        }
        return result.destinations().entrySet().stream().filter(e -> e.getValue() != null)
                .map(e -> e.getKey() + ": " + e.getValue()).findFirst().orElse(null);
    }
}
