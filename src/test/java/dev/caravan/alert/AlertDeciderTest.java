package dev.caravan.alert;

import dev.caravan.pipeline.BackupResult;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AlertDeciderTest {
    private static BackupResult result(long bytes, String sourceError, String... destinationProblems) {
        Map<String, String> d = new LinkedHashMap<>();
        for (int i = 0; i < destinationProblems.length; i++) {
            d.put("d" + i, destinationProblems[i]);
        }
        return new BackupResult("p", "20250101T000000Z",
                List.of(new BackupResult.SourceOutcome("s", "s.tar", bytes, bytes, null, sourceError)), d, List.of(), Duration.ZERO);
    }

    private static PlanHistory history(String last, Long... sizes) {
        PlanHistory h = new PlanHistory();
        h.lastOutcome = last;
        h.recentSizes.addAll(List.of(sizes));
        return h;
    }

    @Test
    void no_copy_anywhere_is_a_failure_and_nothing_else() {
        assertThat(AlertDecider.decide(result(10, null, "down", "down"), history("ok"))).containsExactly("failure");
        assertThat(AlertDecider.decide(result(10, "dump failed", (String) null), history("ok"))).containsExactly("failure");
    }

    @Test
    void some_destinations_failing_is_partial() {
        assertThat(AlertDecider.decide(result(10, null, null, "down"), history(null))).containsExactly("partial");
    }

    @Test
    void good_after_a_failure_is_recovered() {
        assertThat(AlertDecider.decide(result(10, null, (String) null), history("failure"))).containsExactly("recovered", "success");
        assertThat(AlertDecider.decide(result(10, null, (String) null), history("ok"))).containsExactly("success");
    }

    @Test
    void sizes_under_half_or_over_twice_the_median_of_the_last_seven_or_zero_are_anomalies() {
        Long[] recent = {100L, 110L, 90L, 105L};
        assertThat(AlertDecider.decide(result(40, null, (String) null), history("ok", recent))).contains("anomaly");
        assertThat(AlertDecider.decide(result(250, null, (String) null), history("ok", recent))).contains("anomaly");
        assertThat(AlertDecider.decide(result(150, null, (String) null), history("ok", recent))).doesNotContain("anomaly");
        assertThat(AlertDecider.decide(result(0, null, (String) null), history(null))).contains("anomaly");
        assertThat(AlertDecider.decide(result(5, null, (String) null), history("ok", 100L, 100L))).as("too little history")
                .doesNotContain("anomaly");
        assertThat(AlertDecider.anomaly(40, List.of(recent)).orElseThrow())
                .isEqualTo("size 40 bytes is 39% of the median of the last 4 backups (103 bytes)");
    }
}
