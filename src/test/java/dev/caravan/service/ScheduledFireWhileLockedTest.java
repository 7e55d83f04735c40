package dev.caravan.service;

import dev.caravan.dsl.PlanLoader;
import dev.caravan.lock.PlanLock;
import dev.caravan.pipeline.EngineSettings;
import dev.caravan.pipeline.ProgressListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fire of the schedule that finds its plan locked (the previous run, a {@code caravan now}) is
 * skipped with one warning, not an error with a stack trace, and the next fire runs. An
 * {@code every(...)} schedule gets no catch-up run at start: its trigger fires at start itself.
 */
class ScheduledFireWhileLockedTest {
    @TempDir
    Path tmp;

    @Test
    void fires_that_find_the_plan_locked_are_skipped_with_a_warning_and_the_next_free_fire_runs() throws Exception {
        Files.writeString(Files.createDirectories(tmp.resolve("data")).resolve("f.txt"), "x");
        Path file = tmp.resolve("plan.groovy");
        Files.writeString(file, """
                backup('tick') {
                    schedule every('1s')
                    sources { files('d') { path '%s' } }
                    destinations { local('nas') { path '%s' } }
                }
                """.formatted(tmp.resolve("data"), tmp.resolve("nas")));
        EngineSettings settings = new EngineSettings(tmp.resolve("state"), tmp.resolve("work"), ProgressListener.NONE);
        PrintStream stderr = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PlanLock held = PlanLock.acquire(tmp.resolve("state"), "tick", "a test holding the plan");
        try (Service service = new Service(PlanLoader.load(file), settings,
                new Service.Timing(Duration.ofMillis(200), Duration.ofHours(1)))) {
            System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
            try {
                service.start();
                ServiceReloadTest.await("two fires skipped", () -> log.toString(StandardCharsets.UTF_8)
                        .split("plan 'tick': scheduled run skipped: plan 'tick' is locked by another run", -1).length > 2);
            } finally {
                System.setErr(stderr);
            }
            assertThat(manifests()).isZero();
            held.close();
            ServiceReloadTest.await("a fire runs once the lock is free", () -> manifests() >= 1);
        } finally {
            held.close();
        }
        String said = log.toString(StandardCharsets.UTF_8);
        assertThat(said).contains("WARN").contains("a test holding the plan")
                .doesNotContain("ERROR").doesNotContain("LockHeldException").doesNotContain("catch-up");
    }

    private long manifests() {
        try (Stream<Path> s = Files.walk(tmp.resolve("nas"))) {
            return s.filter(f -> f.getFileName().toString().equals("manifest.json")).count();
        } catch (Exception e) {
            return 0;
        }
    }
}
