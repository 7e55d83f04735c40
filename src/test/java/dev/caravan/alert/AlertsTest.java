package dev.caravan.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import dev.caravan.dsl.PlanLoader;
import dev.caravan.model.Config;
import dev.caravan.model.Plan;
import dev.caravan.pipeline.BackupRequest;
import dev.caravan.pipeline.Engine;
import dev.caravan.pipeline.EngineSettings;
import dev.caravan.pipeline.ProgressListener;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Alerts end to end: real runs of a plan, a local webhook receiver and GreenMail as the SMTP server. */
class AlertsTest {
    @RegisterExtension
    static GreenMailExtension mail = new GreenMailExtension(new ServerSetup(0, "127.0.0.1", "smtp"));

    @TempDir
    Path tmp;

    private Config plan(String alerts, String destinations) throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve("f.txt"), "hello alerts\n".repeat(100));
        Path file = tmp.resolve("plan.groovy");
        Files.writeString(file, """
                backup('app') {
                    sources { files('d') { path '%s' } }
                    destinations { %s }
                    alerts { %s }
                }
                """.formatted(data, destinations, alerts));
        return PlanLoader.load(file);
    }

    private Engine engine(Config config) {
        Engine engine = new Engine(config, new EngineSettings(tmp.resolve("state"), tmp.resolve("work"), ProgressListener.NONE));
        engine.addRunListener(new Alerts(engine.camel(), engine.settings().stateDir(), config.file()));
        return engine;
    }

    @Test
    void a_failing_destination_sends_one_partial_alert_not_one_per_retry_or_per_run() throws Exception {
        Files.writeString(tmp.resolve("not-a-dir"), "x");
        try (WebhookReceiver hook = new WebhookReceiver()) {
            Config config = plan("webhook '" + hook.url() + "'",
                    "local('nas') { path '" + tmp.resolve("nas") + "' }; local('usb') { path '" + tmp.resolve("not-a-dir/usb") + "' }");
            Plan p = config.plans().get(0);
            try (Engine engine = engine(config)) {
                assertThat(engine.backup(p, BackupRequest.SCHEDULED).ok()).isFalse();
                engine.backup(p, BackupRequest.SCHEDULED);
            }
            assertThat(hook.bodies()).hasSize(1);
            JsonNode alert = new ObjectMapper().readTree(hook.bodies().get(0));
            assertThat(alert.get("event").asText()).isEqualTo("partial");
            assertThat(alert.get("plan").asText()).isEqualTo("app");
            assertThat(alert.get("backupId").asText()).matches("\\d{8}T\\d{6}Z");
            assertThat(alert.at("/destinations/nas/status").asText()).isEqualTo("ok");
            assertThat(alert.at("/destinations/usb/status").asText()).isEqualTo("failed");
            assertThat(alert.get("error").asText()).startsWith("usb: ");
            assertThat(alert.get("text").asText()).startsWith("caravan: plan 'app' partial (backup ");
            assertThat(Instant.parse(alert.get("time").asText())).isBeforeOrEqualTo(Instant.now());
        }
    }

    @Test
    void a_run_after_a_failure_sends_recovered_and_success_by_email() throws Exception {
        Path nas = tmp.resolve("nas");
        Files.writeString(nas, "a file where the destination directory should be");
        String email = "email { to 'ops@example.com'; from 'caravan@example.com'; smtp 'smtp://127.0.0.1:"
                + mail.getSmtp().getPort() + "' }";
        Config broken = plan("on 'failure', 'recovered', 'success'; " + email, "local('nas') { path '" + nas + "' }");
        try (Engine engine = engine(broken)) {
            assertThat(engine.backup(broken.plans().get(0), BackupRequest.SCHEDULED).storedSomewhere()).isFalse();
        }
        Files.delete(nas);
        Config fixed = plan("on 'failure', 'recovered', 'success'; " + email, "local('nas') { path '" + nas + "' }");
        try (Engine engine = engine(fixed)) {
            assertThat(engine.backup(fixed.plans().get(0), BackupRequest.SCHEDULED).ok()).isTrue();
        }
        MimeMessage[] received = mail.getReceivedMessages();
        List<String> subjects = java.util.Arrays.stream(received).map(m -> {
            try {
                return m.getSubject();
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
        assertThat(subjects).hasSize(3);
        assertThat(subjects.get(0)).startsWith("caravan: plan 'app' failure");
        assertThat(subjects.get(1)).startsWith("caravan: plan 'app' recovered");
        assertThat(subjects.get(2)).startsWith("caravan: plan 'app' success");
        assertThat(received[0].getAllRecipients()[0].toString()).isEqualTo("ops@example.com");
        assertThat(com.icegreen.greenmail.util.GreenMailUtil.getBody(received[0])).contains("destination nas: ");
    }

    @Test
    void stale_fires_when_no_good_backup_within_stale_after() throws Exception {
        try (WebhookReceiver hook = new WebhookReceiver()) {
            Config config = plan("staleAfter '1h'; webhook '" + hook.url() + "'", "local('nas') { path '" + tmp.resolve("nas") + "' }");
            Plan p = config.plans().get(0);
            try (Engine engine = engine(config)) {
                Alerts alerts = new Alerts(engine.camel(), engine.settings().stateDir(), config.file());
                Instant start = Instant.now();
                assertThat(alerts.checkStale(p, start, start.plusSeconds(1800))).isFalse();
                assertThat(alerts.checkStale(p, start, start.plusSeconds(3700))).isTrue();
                engine.backup(p, BackupRequest.SCHEDULED);
                assertThat(alerts.checkStale(p, start, Instant.now().plusSeconds(60))).isFalse();
            }
            assertThat(hook.bodies()).hasSize(1);
            assertThat(new ObjectMapper().readTree(hook.bodies().get(0)).get("event").asText()).isEqualTo("stale");
        }
    }
}
