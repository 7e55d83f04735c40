package dev.caravan.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.alert.WebhookReceiver;
import dev.caravan.cli.CliRunner;
import dev.caravan.drill.Drill;
import dev.caravan.drill.DrillReport;
import dev.caravan.dsl.PlanLoader;
import dev.caravan.model.Plan;
import dev.caravan.pipeline.EngineSettings;
import dev.caravan.pipeline.ProgressListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static dev.caravan.service.ServiceReloadTest.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The declared targets, compared: {@code alerts { rpo }} against the recovery point's age (in
 * {@code status} and the {@code rpo-missed} alert), {@code drill { rto }} against a drill's restore
 * time (the {@code rto-missed} alert and the drill metrics).
 */
class RecoveryTargetsTest {
    @TempDir
    Path tmp;

    @BeforeEach
    void dirs() throws Exception {
        System.setProperty("caravan.state.dir", tmp.resolve("state").toString());
        System.setProperty("caravan.work.dir", tmp.resolve("work").toString());
        Files.createDirectories(tmp.resolve("data"));
        Files.writeString(tmp.resolve("data/a.txt"), "alpha\n".repeat(100));
    }

    @AfterEach
    void clear() {
        System.clearProperty("caravan.state.dir");
        System.clearProperty("caravan.work.dir");
    }

    private Path plan(String targets, String hook) throws Exception {
        return Files.writeString(tmp.resolve("plan.groovy"), """
                backup('docs') {
                    sources { files('d') { path '%s' } }
                    destinations { local('nas') { path '%s' } }
                    %s
                    alerts { staleAfter '25h'; webhook '%s'%s }
                }
                service { catchUp false }
                """.formatted(tmp.resolve("data"), tmp.resolve("nas"), targets.contains("drill") ? targets : "", hook,
                targets.contains("rpo") ? "; " + targets : ""));
    }

    private EngineSettings settings() {
        return new EngineSettings(tmp.resolve("state"), tmp.resolve("work"), ProgressListener.NONE);
    }

    @Test
    void a_recovery_point_older_than_the_rpo_is_late_in_status_and_raises_rpo_missed() throws Exception {
        try (WebhookReceiver hook = new WebhookReceiver()) {
            Path plan = plan("rpo '1s'", hook.url());
            assertThat(CliRunner.run("now", plan.toString()).exit()).isZero();
            Thread.sleep(2100); // the backup id has whole seconds: 2.1 s make its age more than 1 s for sure

            CliRunner.Result status = CliRunner.run("status", plan.toString(), "--json");
            assertThat(status.exit()).as("late against the RPO, within staleAfter: " + status).isEqualTo(1);
            JsonNode row = new ObjectMapper().readTree(status.out()).get("plans").get(0);
            assertThat(row.get("rpoTargetSeconds").asLong()).isEqualTo(1);
            assertThat(row.get("recoveryPointAgeSeconds").asDouble()).isGreaterThan(1);
            assertThat(row.get("rpo").asText()).isEqualTo("late");
            assertThat(CliRunner.run("status", plan.toString()).out()).contains("RPO TARGET").contains("late");

            try (Service service = new Service(PlanLoader.load(plan), settings(), new Service.Timing(Duration.ofHours(1), Duration.ofMillis(200)))) {
                service.start();
                await("rpo-missed is sent", () -> hook.bodies().stream().anyMatch(b -> b.contains("\"event\":\"rpo-missed\"")));
                assertThat(service.metrics().scrape())
                        .contains("caravan_alerts_total{event=\"rpo-missed\",plan=\"docs\"} 1.0")
                        .containsPattern("caravan_recovery_point_age_seconds\\{plan=\"docs\"} [1-9]");
                Thread.sleep(600); // three more checks: the same miss is not sent again within the hour
            }
            assertThat(hook.bodies().stream().filter(b -> b.contains("rpo-missed"))).hasSize(1);
            assertThat(hook.bodies().stream().filter(b -> b.contains("rpo-missed")).findFirst().orElseThrow())
                    .contains("the newest good backup (").contains("is older than the RPO of 1s");
        }
    }

    @Test
    void a_drill_within_its_rto_passes_and_one_slower_than_it_is_a_failed_target() throws Exception {
        try (WebhookReceiver hook = new WebhookReceiver()) {
            Path plan = plan("drill { rto '15m' }", hook.url());
            assertThat(CliRunner.run("now", plan.toString()).exit()).isZero();
            CliRunner.Result drill = CliRunner.run("drill", plan.toString());
            assertThat(drill.exit()).as(drill.toString()).isZero();
            assertThat(drill.out()).contains("RTO 15m00s: within the RTO").contains("drill passed");

            try (Service service = new Service(PlanLoader.load(plan), settings(), new Service.Timing(Duration.ofHours(1), Duration.ofHours(1)))) {
                service.start();
                Plan p = service.config().plans().get(0);
                DrillReport measured = Drill.run(service.engine(), p);
                assertThat(measured.status()).isEqualTo("passed");
                assertThat(measured.restoreTime()).isPositive().isLessThan(p.drill().rto());
                service.drillDone(p, measured);
                // the same measured restore against a target it cannot meet (a plan can declare no less than 1s)
                DrillReport slow = new DrillReport(measured.plan(), measured.backupId(), measured.started(), measured.sources(), null,
                        measured.restoreTime().dividedBy(2));
                assertThat(slow.rtoMissed()).isTrue();
                assertThat(slow.status()).isEqualTo("rto-missed");
                service.drillDone(p, slow);
                assertThat(service.metrics().scrape())
                        .contains("caravan_drills_completed_total{plan=\"docs\",status=\"passed\"} 1.0")
                        .contains("caravan_drills_completed_total{plan=\"docs\",status=\"rto-missed\"} 1.0")
                        .contains("caravan_rto_target_seconds{plan=\"docs\"} 900.0")
                        .contains("caravan_alerts_total{event=\"rto-missed\",plan=\"docs\"} 1.0");
            }
            assertThat(hook.bodies()).hasSize(1);
            assertThat(hook.bodies().get(0)).contains("\"event\":\"rto-missed\"").contains("the restore drill took")
                    .contains("more than the RTO of");
        }
    }
}
