package dev.caravan.dsl;

import dev.caravan.model.DrillSpec;
import dev.caravan.model.Plan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DrillContextTest {
    @TempDir
    Path dir;

    private Plan load(String drill) throws Exception {
        Path f = dir.resolve("p.groovy");
        Files.writeString(f, """
                backup('nightly') {
                    sources {
                        postgres('app') { database 'app' }
                        files('chroma') { path '/srv/chroma' }
                        redis('cache') { host 'localhost' }
                    }
                    destinations { local('nas') { path '/mnt/nas' } }
                    %s
                }
                """.formatted(drill));
        return PlanLoader.load(f, Map.<String, String>of()::get).plan("nightly").orElseThrow();
    }

    @Test
    void a_plan_without_the_block_has_no_drill_schedule_and_no_checks() throws Exception {
        assertThat(load("").drill()).isEqualTo(DrillSpec.NONE);
    }

    @Test
    void checks_keep_their_query_expectation_and_line() throws Exception {
        DrillSpec d = load("""
                drill {
                        schedule '@weekly'
                        check('app', "select count(*) from characters") { atLeast 1 }
                        check('chroma', files: true) { equals 42 }
                        check('cache', 'dbsize') { atLeast 0 }
                    }""").drill();
        assertThat(d.schedule().expression()).isEqualTo("@weekly");
        assertThat(d.checks()).containsExactly(
                new DrillSpec.Check("app", "select count(*) from characters", false, 1L, null, 10),
                new DrillSpec.Check("chroma", null, true, null, 42L, 11),
                new DrillSpec.Check("cache", "dbsize", false, 0L, null, 12));
        assertThat(d.checksOf("chroma")).hasSize(1);
        assertThat(d.checks().get(1).passes(42)).isTrue();
        assertThat(d.checks().get(1).passes(43)).isFalse();
        assertThat(d.checks().get(0).passes(0)).isFalse();
        assertThat(d.checks().get(0).expectation()).isEqualTo("atLeast 1");
        assertThat(List.of(d.checks().get(1).what(), d.checks().get(1).expectation())).containsExactly("files", "equals 42");
    }

    @Test
    void rto_and_rpo_are_declared_targets() throws Exception {
        Plan p = load("""
                drill { rto '15m' }
                    alerts { rpo '5m' }""");
        assertThat(p.drill().rto()).isEqualTo(java.time.Duration.ofMinutes(15));
        assertThat(p.alerts().rpo()).isEqualTo(java.time.Duration.ofMinutes(5));
        assertThat(load("").drill().rto()).isNull();
        assertThat(load("").alerts().rpo()).isNull();
    }

    @Test
    void a_bad_rto_or_rpo_is_a_problem_at_its_line_and_every_one_is_reported() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> load("""
                drill { rto 'soon' }
                    alerts {
                        rpo '0m'
                    }"""))
                .isInstanceOf(PlanException.class)
                .hasMessageContaining("p.groovy:8: drill: rto: invalid duration 'soon': expected a number and a unit s, m, h, d or w")
                .hasMessageContaining("p.groovy:10: alerts: rpo: invalid duration '0m': must be more than zero");
    }

    @Test
    void rto_twice_is_refused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> load("""
                drill { rto '15m'; rto '1h' }"""))
                .isInstanceOf(PlanException.class)
                .hasMessageContaining("p.groovy:8: drill: 'rto' is already set at line 8");
    }
}
