package dev.caravan.model;

import java.time.Duration;
import java.util.List;

/**
 * {@code drill { schedule '@weekly'; check('app', "select count(*) from t") { atLeast 1 } }}: restore
 * the latest backup into scratch targets and check what came back.
 *
 * @param schedule when the service runs the drill, or null (only {@code caravan drill} runs it)
 * @param checks   what to assert about restored sources; sources without a check are restored only
 * @param rto      the declared recovery time objective: a drill whose restore takes longer misses it (null: none declared)
 */
public record DrillSpec(Schedule schedule, List<Check> checks, Duration rto) {
    /** A plan without {@code drill { }}: {@code caravan drill} still restores every source, with no checks. */
    public static final DrillSpec NONE = new DrillSpec(null, List.of(), null);

    public DrillSpec {
        checks = List.copyOf(checks);
    }

    /** Without an RTO target. */
    public DrillSpec(Schedule schedule, List<Check> checks) {
        this(schedule, checks, null);
    }

    /** The checks on one source, in plan order. */
    public List<Check> checksOf(String source) {
        return checks.stream().filter(c -> c.source().equals(source)).toList();
    }

    /**
     * One check. {@code query} is what the source's kind understands: SQL (postgres, mysql, sqlite),
     * a redis-cli command (redis), a collection whose documents are counted (mongo); {@code files}
     * counts the regular files restored instead. Exactly one of {@code atLeast} and {@code equalsValue} is set.
     */
    public record Check(String source, String query, boolean files, Long atLeast, Long equalsValue, int line) {
        public Check {
            if ((atLeast == null) == (equalsValue == null)) {
                throw new IllegalArgumentException("check '" + source + "': needs exactly one of atLeast, equals");
            }
            if (files == (query != null)) {
                throw new IllegalArgumentException("check '" + source + "': needs a query or files: true");
            }
        }

        /** Whether a measured value passes. */
        public boolean passes(long actual) {
            return atLeast != null ? actual >= atLeast : actual == equalsValue;
        }

        /** {@code atLeast 1} or {@code equals 42}. */
        public String expectation() {
            return atLeast != null ? "atLeast " + atLeast : "equals " + equalsValue;
        }

        /** What is measured: the query, or {@code files}. */
        public String what() {
            return files ? "files" : query;
        }
    }
}
