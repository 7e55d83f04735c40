package dev.caravan.pipeline;

import dev.caravan.dsl.PlanLoader;
import dev.caravan.model.Config;
import dev.caravan.model.Plan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The service path: camel-quartz fires the plan's route on its schedule and the backups land labelled 'scheduled'. */
class ScheduledRunTest {
    @TempDir
    Path tmp;

    @Test
    void an_every_schedule_fires_the_plan_through_quartz() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve("f.txt"), "hello");
        Path plan = tmp.resolve("plan.groovy");
        Files.writeString(plan, """
                backup('tick') {
                    schedule every('2s')
                    sources { files('d') { path '%s' } }
                    destinations { local('nas') { path '%s' } }
                }
                """.formatted(data, tmp.resolve("nas")));
        Config config = PlanLoader.load(plan);
        Plan p = config.plans().get(0);
        EngineSettings settings = new EngineSettings(tmp.resolve("state"), tmp.resolve("work"), ProgressListener.NONE);
        try (Engine engine = new Engine(config, settings)) {
            engine.addPlanRoute(p, dev.caravan.service.Triggers.quartz(p));
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline && manifests(tmp.resolve("nas")) < 2) {
                Thread.sleep(200);
            }
        }
        assertThat(manifests(tmp.resolve("nas"))).as("two scheduled runs within 30 s").isGreaterThanOrEqualTo(2);
        try (Stream<Path> s = Files.walk(tmp.resolve("nas"))) {
            Path manifest = s.filter(f -> f.getFileName().toString().equals("manifest.json")).findFirst().orElseThrow();
            assertThat(Files.readString(manifest)).contains("\"label\" : \"scheduled\"");
        }
    }

    private static long manifests(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(f -> f.getFileName().toString().equals("manifest.json")).count();
        }
    }
}
