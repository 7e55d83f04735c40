package dev.caravan.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How a run ended.
 *
 * @param plan         plan name
 * @param id           the backup id
 * @param sources      per source: object name, stored bytes, error (null when fine)
 * @param destinations per destination: null when it holds a complete, verified copy, else why not
 * @param retention    one line per pruned or cleaned-up backup
 * @param duration     wall time
 * @param type         {@code full} or {@code incremental} (the manifest's type)
 */
public record BackupResult(String plan, String id, List<SourceOutcome> sources, Map<String, String> destinations,
                           List<String> retention, @JsonIgnore Duration duration, @JsonIgnore String type) {

    /** A full. */
    public BackupResult(String plan, String id, List<SourceOutcome> sources, Map<String, String> destinations,
                        List<String> retention, Duration duration) {
        this(plan, id, sources, destinations, retention, duration, "full");
    }

    /**
     * One source's outcome; {@code newBytes} is what it added to storage: its stored bytes, or for a
     * deduplicated object ({@code dedup true}) the stored bytes of the chunks no destination held before.
     */
    public record SourceOutcome(String name, String object, long bytes, long dumpBytes, String sha256, String error, long newBytes) {
        public SourceOutcome(String name, String object, long bytes, long dumpBytes, String sha256, String error) {
            this(name, object, bytes, dumpBytes, sha256, error, bytes);
        }
    }

    /** Every source dumped and every destination holds a verified copy. */
    public boolean ok() {
        return sources.stream().allMatch(s -> s.error() == null) && destinations.values().stream().allMatch(v -> v == null);
    }

    /** At least one destination holds a complete copy. */
    public boolean storedSomewhere() {
        return sources.stream().allMatch(s -> s.error() == null) && destinations.values().stream().anyMatch(v -> v == null);
    }

    /** For {@code now --json}: {@code ok}, {@code partial} (some destination lacks a copy) or {@code failed}. */
    @JsonProperty("status")
    public String status() {
        return ok() ? "ok" : storedSomewhere() ? "partial" : "failed";
    }

    /** For {@code now --json}: the wall time in seconds. */
    @JsonProperty("seconds")
    public double seconds() {
        return duration.toMillis() / 1000.0;
    }

    /** Stored bytes the run added (less than {@link #bytes()} when chunks were already stored). */
    @JsonIgnore
    public long newBytes() {
        return sources.stream().mapToLong(SourceOutcome::newBytes).sum();
    }

    @JsonIgnore
    public long bytes() {
        return sources.stream().mapToLong(SourceOutcome::bytes).sum();
    }
}
