package dev.caravan.service;

import dev.caravan.alert.WebhookReceiver;
import dev.caravan.cli.CliRunner;
import dev.caravan.dsl.PlanLoader;
import dev.caravan.pipeline.EngineSettings;
import dev.caravan.pipeline.ProgressListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static dev.caravan.service.ServiceReloadTest.await;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code drill { schedule ... }}: the service restores the latest backup on its schedule, exports the result, and alerts when it fails. */
class ScheduledDrillTest {
    @TempDir
    Path tmp;

    @AfterEach
    void clear() {
        System.clearProperty("caravan.state.dir");
        System.clearProperty("caravan.work.dir");
    }

    @Test
    void a_scheduled_drill_reports_its_result_in_metrics_and_a_failing_one_alerts() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve("a.txt"), "a");
        Files.writeString(data.resolve("b.txt"), "b");
        System.setProperty("caravan.state.dir", tmp.resolve("state").toString());
        System.setProperty("caravan.work.dir", tmp.resolve("work").toString());
        try (WebhookReceiver hook = new WebhookReceiver()) {
            Path plan = tmp.resolve("plan.groovy");
            Files.writeString(plan, """
                    backup('docs') {
                        sources { files('d') { path '%s' } }
                        destinations { local('nas') { path '%s' } }
                        drill {
                            schedule every('1s')
                            check('d', files: true) { atLeast 1000 }
                        }
                        alerts { webhook '%s' }
                    }
                    service { catchUp false }
                    """.formatted(data, tmp.resolve("nas"), hook.url()));
            assertThat(CliRunner.run("now", plan.toString()).exit()).isZero();

            EngineSettings settings = new EngineSettings(tmp.resolve("state"), tmp.resolve("work"), ProgressListener.NONE);
            try (Service service = new Service(PlanLoader.load(plan), settings,
                    new Service.Timing(Duration.ofHours(1), Duration.ofHours(1)))) {
                service.start();
                await("the drill ran", () -> service.metrics().scrape().contains("caravan_drill_last_passed{plan=\"docs\"} 0.0"));
                await("the failed drill is alerted", () -> !hook.bodies().isEmpty());
            }
            assertThat(hook.bodies().get(0)).contains("\"event\":\"drill-failed\"").contains("d:");
            assertThat(hook.bodies()).as("a repeated identical failure is not alerted again within the hour").hasSize(1);
        }
    }
}
