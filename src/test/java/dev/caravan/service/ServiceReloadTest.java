package dev.caravan.service;

import dev.caravan.alert.WebhookReceiver;
import dev.caravan.dsl.PlanLoader;
import dev.caravan.pipeline.EngineSettings;
import dev.caravan.pipeline.ProgressListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Hot reload: the running service picks up an edited schedule without a restart and refuses a broken edit. */
class ServiceReloadTest {
    @TempDir
    Path tmp;

    private void writePlan(Path file, String schedule, String hook) throws Exception {
        Files.writeString(file, """
                backup('tick') {
                    schedule %s
                    timezone 'UTC'
                    sources { files('d') { path '%s' } }
                    destinations { local('nas') { path '%s' } }
                    alerts { on 'reload-refused'; webhook '%s' }
                }
                service { catchUp false }
                """.formatted(schedule, tmp.resolve("data"), tmp.resolve("nas"), hook));
    }

    @Test
    void an_edited_schedule_applies_without_restart_and_a_broken_edit_is_refused_while_the_old_schedule_keeps_firing()
            throws Exception {
        Files.createDirectories(tmp.resolve("data"));
        Files.writeString(tmp.resolve("data/f.txt"), "x");
        Path file = tmp.resolve("plan.groovy");
        try (WebhookReceiver hook = new WebhookReceiver()) {
            writePlan(file, "'0 3 * * *'", hook.url());
            EngineSettings settings = new EngineSettings(tmp.resolve("state"), tmp.resolve("work"), ProgressListener.NONE);
            try (Service service = new Service(PlanLoader.load(file), settings,
                    new Service.Timing(Duration.ofMillis(200), Duration.ofHours(1)))) {
                service.start();
                assertThat(service.nextFireTime("tick").orElseThrow().atZone(ZoneOffset.UTC).getHour()).isEqualTo(3);
                assertThat(manifests()).isZero();

                writePlan(file, "every('1s')", hook.url());
                await("the new schedule is in force", () -> service.nextFireTime("tick")
                        .map(t -> t.isBefore(Instant.now().plusSeconds(5))).orElse(false));
                await("the new schedule fires", () -> manifests() >= 1);

                Files.writeString(file, Files.readString(file).replace("every('1s')", "'every day'"));
                await("the refusal is alerted", () -> !hook.bodies().isEmpty());
                assertThat(hook.bodies().get(0)).contains("\"event\":\"reload-refused\"")
                        .contains("plan.groovy:2: backup 'tick': invalid schedule 'every day'");
                assertThat(service.lastRefusal()).startsWith("plan.groovy:2: ");
                long before = manifests();
                await("the previous schedule keeps firing", () -> manifests() >= before + 2);
                assertThat(service.config().plans().get(0).schedule().expression()).isEqualTo("every('1s')");
            }
        }
    }

    private long manifests() {
        Path nas = tmp.resolve("nas");
        if (!Files.isDirectory(nas)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(nas)) {
            return s.filter(f -> f.getFileName().toString().equals("manifest.json")).count();
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return 0; // a folder renamed or pruned while walking: look again
        }
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(100);
        }
    }
}
