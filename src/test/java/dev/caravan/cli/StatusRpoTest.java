package dev.caravan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.alert.WebhookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code status} shows, per plan, the newest good backup's age against staleAfter and the last alert sent. */
class StatusRpoTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @BeforeEach
    void setUp() throws IOException {
        System.setProperty("caravan.state.dir", tmp.resolve("state").toString());
        System.setProperty("caravan.work.dir", tmp.resolve("work").toString());
        Files.createDirectories(tmp.resolve("data"));
        Files.writeString(tmp.resolve("data/a.txt"), "alpha\n".repeat(100));
    }

    @AfterEach
    void tearDown() {
        System.clearProperty("caravan.state.dir");
        System.clearProperty("caravan.work.dir");
    }

    private Path plan(String staleAfter, String hook) throws IOException {
        return Files.writeString(tmp.resolve("plan.groovy"), """
                backup('docs') {
                    sources { files('tree') { path '%s' } }
                    destinations { local('nas') { path '%s' } }
                    alerts { on 'success'; staleAfter '%s'; webhook '%s' }
                }
                """.formatted(tmp.resolve("data"), tmp.resolve("nas"), staleAfter, hook));
    }

    @Test
    void status_says_within_or_late_against_staleAfter_and_when_an_alert_was_last_sent() throws Exception {
        try (WebhookReceiver hook = new WebhookReceiver()) {
            Path plan = plan("1h", hook.url());
            CliRunner.Result before = CliRunner.run("status", plan.toString(), "--json");
            assertThat(before.exit()).as("no backup yet: late").isEqualTo(1);
            JsonNode none = JSON.readTree(before.out()).get("plans").get(0);
            assertThat(none.get("rpo").asText()).isEqualTo("late");
            assertThat(none.get("newestGood").isNull()).isTrue();
            assertThat(none.get("lastAlert").isNull()).isTrue();

            CliRunner.Result now = CliRunner.run("now", plan.toString());
            assertThat(now.exit()).as(now.toString()).isZero();
            assertThat(hook.bodies()).hasSize(1);
            String sentAt = JSON.readTree(hook.bodies().get(0)).get("time").asText();

            CliRunner.Result status = CliRunner.run("status", plan.toString(), "--json");
            assertThat(status.exit()).as(status.toString()).isZero();
            JsonNode row = JSON.readTree(status.out()).get("plans").get(0);
            assertThat(row.get("plan").asText()).isEqualTo("docs");
            assertThat(row.get("rpo").asText()).isEqualTo("within");
            assertThat(row.get("staleAfterSeconds").asLong()).isEqualTo(3600);
            assertThat(row.get("ageSeconds").asLong()).isBetween(0L, 600L);
            assertThat(row.get("newestGood").asText()).matches("\\d{8}T\\d{6}Z");
            assertThat(row.at("/lastAlert/event").asText()).isEqualTo("success");
            assertThat(Instant.parse(row.at("/lastAlert/time").asText())).isEqualTo(Instant.parse(sentAt));

            CliRunner.Result text = CliRunner.run("status", plan.toString());
            assertThat(text.out()).containsPattern("docs +" + row.get("newestGood").asText()
                    + " +\\S+ +1h00m +- +within +success at " + sentAt.replace(".", "\\."));

            Thread.sleep(2100);
            Path strict = plan("1s", hook.url());
            CliRunner.Result late = CliRunner.run("status", strict.toString());
            assertThat(late.exit()).as("a late plan fails status: " + late).isEqualTo(1);
            assertThat(late.out()).containsPattern("docs +" + row.get("newestGood").asText() + " +\\S+ +1\\.0s +- +late ");
        }
    }
}
