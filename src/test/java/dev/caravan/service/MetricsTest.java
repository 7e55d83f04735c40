package dev.caravan.service;

import dev.caravan.dsl.PlanLoader;
import dev.caravan.pipeline.BackupRequest;
import dev.caravan.pipeline.EngineSettings;
import dev.caravan.pipeline.ProgressListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A running service's /metrics as Prometheus' own linter sees it: {@code promtool check metrics}
 * (Debian's prometheus package) has no complaint; every family has HELP text, durations keep their
 * fraction of a second, and the JVM and process families are there.
 */
class MetricsTest {
    @TempDir Path tmp;

    @Test
    void live_metrics_pass_promtool_and_carry_help_fractional_seconds_and_jvm_families() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve("f.txt"), "metrics\n".repeat(5000));
        Path file = tmp.resolve("plan.groovy");
        Files.writeString(file, """
                backup('web') {
                    schedule '@daily'
                    sources { files('site') { path '%s' } }
                    destinations { local('nas') { path '%s' } }
                }
                service { http port: %d; catchUp false }
                """.formatted(data, tmp.resolve("nas"), freePort()));
        EngineSettings settings = new EngineSettings(tmp.resolve("state"), tmp.resolve("work"), ProgressListener.NONE);
        try (Service service = new Service(PlanLoader.load(file), settings, Service.Timing.DEFAULT)) {
            service.start();
            assertThat(service.engine().backup(service.config().plans().get(0), BackupRequest.SCHEDULED).ok()).isTrue();
            HttpResponse<String> metrics = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort() + "/metrics"))
                            .timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            String body = metrics.body();

            Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
            promtool.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
            promtool.getOutputStream().close();
            String complaints = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(promtool.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(complaints).as("promtool check metrics").isBlank();
            assertThat(promtool.exitValue()).isZero();

            // every family says what it is
            Set<String> helped = new HashSet<>();
            List<String> typed = new ArrayList<>();
            for (String line : body.split("\n")) {
                if (line.startsWith("# HELP ")) {
                    helped.add(line.split(" ")[2]);
                } else if (line.startsWith("# TYPE ")) {
                    typed.add(line.split(" ")[2]);
                }
            }
            assertThat(typed).allSatisfy(family -> assertThat(helped).as("HELP of " + family).contains(family));
            assertThat(typed).contains("caravan_backups_completed_total", "caravan_backup_duration_seconds",
                    "caravan_backup_rpo_seconds", "caravan_destination_copies_total", "caravan_source_runs_total");

            // a run's duration keeps its fraction of a second
            Matcher duration = Pattern.compile("caravan_backup_duration_seconds\\{plan=\"web\"} (\\S+)").matcher(body);
            assertThat(duration.find()).as(body).isTrue();
            double seconds = Double.parseDouble(duration.group(1));
            assertThat(seconds).isPositive();
            assertThat(seconds).as("not cut to whole seconds").isNotEqualTo(Math.floor(seconds));

            // the JVM's and the process's own families
            assertThat(typed).contains("jvm_memory_used_bytes", "jvm_threads_live_threads", "jvm_classes_loaded_classes",
                    "process_cpu_usage", "process_uptime_seconds", "process_files_open_files", "process_cpu_seconds_total", "system_cpus");
        }
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
