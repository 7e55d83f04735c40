package dev.caravan.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.dsl.PlanLoader;
import dev.caravan.model.Config;
import dev.caravan.pipeline.BackupRequest;
import dev.caravan.pipeline.Engine;
import dev.caravan.pipeline.EngineSettings;
import dev.caravan.pipeline.ProgressListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two plan files on one machine that both name a plan {@code nightly} share one state directory:
 * their alert state (rate limit, size history, last outcome) is kept apart, so neither silences
 * the other nor judges its sizes by the other's backups.
 */
class AlertStatePerPlanFileTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Config planFile(String dir, String data, int dataBytes, String destination, String hook) throws Exception {
        Path d = Files.createDirectories(tmp.resolve(data));
        Files.writeString(d.resolve("f.txt"), "x".repeat(dataBytes));
        Path file = Files.createDirectories(tmp.resolve(dir)).resolve("plan.groovy");
        Files.writeString(file, """
                backup('nightly') {
                    sources { files('d') { path '%s' } }
                    compress 'none'
                    destinations { local('nas') { path '%s' } }
                    alerts { on 'failure', 'anomaly', 'recovered'; webhook '%s' }
                }
                """.formatted(d, destination, hook));
        return PlanLoader.load(file);
    }

    private boolean run(Config config) throws Exception {
        try (Engine engine = new Engine(config, new EngineSettings(tmp.resolve("state"), tmp.resolve("work"), ProgressListener.NONE))) {
            engine.addRunListener(new Alerts(engine.camel(), engine.settings().stateDir(), config.file()));
            return engine.backup(config.plans().get(0), BackupRequest.SCHEDULED).storedSomewhere();
        }
    }

    private static List<String> events(WebhookReceiver hook) throws Exception {
        List<String> events = new java.util.ArrayList<>();
        for (String body : hook.bodies()) {
            events.add(JSON.readTree(body).get("event").asText());
        }
        return events;
    }

    private static String errorWithoutId(String body) throws Exception {
        var alert = JSON.readTree(body);
        return alert.get("error").asText().replace(alert.get("backupId").asText(), "<id>");
    }

    @Test
    void the_same_failure_of_a_same_named_plan_in_another_file_is_sent_not_suppressed() throws Exception {
        Files.writeString(tmp.resolve("not-a-dir"), "a file where a directory should be");
        String broken = tmp.resolve("not-a-dir/nas").toString();
        try (WebhookReceiver hook = new WebhookReceiver()) {
            Config test = planFile("test-copy", "data", 100, broken, hook.url());
            Config deployed = planFile("deployed", "data", 100, broken, hook.url());

            assertThat(run(test)).isFalse();
            assertThat(run(deployed)).isFalse();
            assertThat(run(test)).as("the test copy's own repeat is still rate-limited").isFalse();

            assertThat(events(hook)).containsExactly("failure", "failure");
            assertThat(errorWithoutId(hook.bodies().get(0))).as("the same text, which the rate limit compares")
                    .isEqualTo(errorWithoutId(hook.bodies().get(1)));
        }
    }

    @Test
    void the_size_history_of_one_file_does_not_make_the_other_files_backup_an_anomaly() throws Exception {
        try (WebhookReceiver hook = new WebhookReceiver()) {
            Config small = planFile("small", "small-data", 1_000, tmp.resolve("nas-small").toString(), hook.url());
            Config big = planFile("big", "big-data", 200_000, tmp.resolve("nas-big").toString(), hook.url());
            for (int i = 0; i < 3; i++) {
                assertThat(run(small)).isTrue();
            }

            assertThat(run(big)).isTrue();

            assertThat(events(hook)).as("a first backup has no history to be an anomaly against").isEmpty();
            Path state = Alerts.stateFile(tmp.resolve("state"), big.file(), "nightly");
            assertThat(JSON.readTree(state.toFile()).get("recentSizes")).hasSize(1);
            assertThat(JSON.readTree(state.toFile()).get("planFile").asText()).isEqualTo(big.file().toAbsolutePath().toString());
        }
    }

    @Test
    void state_keyed_by_name_alone_is_taken_over_by_the_first_file_and_by_no_second() throws Exception {
        Path alerts = Files.createDirectories(tmp.resolve("state/alerts"));
        Files.writeString(alerts.resolve("nightly.json"), """
                {"lastOutcome":"failure","lastGood":null,"recentSizes":[],"sent":{},"someFieldOfTheFuture":1}
                """);
        try (WebhookReceiver hook = new WebhookReceiver()) {
            Config first = planFile("first", "data", 100, tmp.resolve("nas-1").toString(), hook.url());
            Config second = planFile("second", "data", 100, tmp.resolve("nas-2").toString(), hook.url());

            assertThat(run(first)).isTrue();
            assertThat(run(second)).isTrue();

            assertThat(events(hook)).as("recovered once: the old state's failure belongs to one file").containsExactly("recovered");
            assertThat(alerts.resolve("nightly.json")).doesNotExist();
            assertThat(Alerts.stateFile(tmp.resolve("state"), first.file(), "nightly")).exists();
            assertThat(Alerts.stateFile(tmp.resolve("state"), second.file(), "nightly")).exists();
        }
    }
}
