package dev.caravan.drill;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What one drill found. {@code error} says why nothing could be restored (no complete backup, no
 * copy); otherwise each source of the backup has its result.
 *
 * @param plan     the plan drilled
 * @param backupId the backup restored, or null when none was found
 * @param started  when the drill began
 * @param sources  one result per object of the backup, in manifest order
 * @param error    why the drill could not restore anything, or null
 * @param rto      the plan's declared recovery time objective ({@code drill { rto '15m' }}), or null
 */
public record DrillReport(String plan, String backupId, Instant started, List<SourceResult> sources, String error, Duration rto) {
    public DrillReport {
        sources = List.copyOf(sources);
    }

    public DrillReport(String plan, String backupId, Instant started, List<SourceResult> sources, String error) {
        this(plan, backupId, started, sources, error, null);
    }

    /** True when a backup was found, every source restored and every check passed (the RTO aside: {@link #rtoMissed}). */
    public boolean passed() {
        return error == null && !sources.isEmpty() && sources.stream().allMatch(SourceResult::passed);
    }

    /**
     * The measured recovery time: the restore times of the sources added up (they restore one after
     * the other), or null when none was restored.
     */
    public Duration restoreTime() {
        return sources.stream().map(SourceResult::restoreTime).filter(java.util.Objects::nonNull)
                .reduce(Duration::plus).orElse(null);
    }

    /** True when an RTO is declared and the restore took longer. */
    public boolean rtoMissed() {
        Duration took = restoreTime();
        return rto != null && took != null && took.compareTo(rto) > 0;
    }

    /** {@code passed}, {@code rto-missed} (restored and checked, but slower than the RTO) or {@code failed}. */
    public String status() {
        return !passed() ? "failed" : rtoMissed() ? "rto-missed" : "passed";
    }

    /**
     * One source restored into its scratch target.
     *
     * @param restoreTime how long the restore took (the recovery time of this source), null when it failed before
     * @param error       why the restore (or dropping its scratch target) failed, or null
     */
    public record SourceResult(String source, String destination, Duration restoreTime, List<CheckResult> checks, String error) {
        public SourceResult {
            checks = List.copyOf(checks);
        }

        public boolean passed() {
            return error == null && checks.stream().allMatch(CheckResult::passed);
        }
    }

    /**
     * One check: what was measured, the expectation, the number found.
     *
     * @param actual the measured number, or null when the check could not run ({@code error} says why)
     */
    public record CheckResult(String check, String expected, Long actual, boolean passed, String error) {
    }
}
