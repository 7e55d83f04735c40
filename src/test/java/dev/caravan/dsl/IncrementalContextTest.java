package dev.caravan.dsl;

import dev.caravan.model.Incremental;
import dev.caravan.model.Plan;
import dev.caravan.model.Schedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class IncrementalContextTest {
    @TempDir
    Path dir;

    private Plan load(String incremental) throws Exception {
        Path f = dir.resolve("p.groovy");
        Files.writeString(f, """
                backup('hourly') {
                    sources { files('chroma') { path '/data/chroma' } }
                    destinations { local('nas') { path '/mnt/nas' } }
                    %s
                }
                """.formatted(incremental));
        return PlanLoader.load(f, Map.<String, String>of()::get).plan("hourly").orElseThrow();
    }

    @Test
    void a_plan_without_the_block_is_all_fulls() throws Exception {
        assertThat(load("").incremental()).isNull();
    }

    @Test
    void full_takes_any_schedule_form_and_fullEvery_a_count() throws Exception {
        assertThat(load("incremental { full '@weekly'; fullEvery 7 }").incremental())
                .isEqualTo(new Incremental(Schedule.cron("@weekly", "0 0 0 ? * SUN"), 7));
        assertThat(load("incremental { fullEvery 24 }").incremental()).isEqualTo(new Incremental(null, 24));
        assertThat(load("incremental { full every('7d') }").incremental().full().every()).hasDays(7);
    }
}
