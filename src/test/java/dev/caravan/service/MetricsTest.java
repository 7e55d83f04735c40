package dev.caravan.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.dsl.PlanLoader;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.caravan.service.ServiceReloadTest.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A running service's /metrics, with a backup and a restore drill fired by Quartz, as Prometheus'
 * own linter sees it: {@code promtool check metrics} (Debian's prometheus package) has no
 * complaint; every family has HELP text, durations keep their fraction of a second, the JVM,
 * process and Camel route families are there, the SRE set and the declared targets are exported,
 * and every family has a panel on the shipped Grafana dashboard.
 */
class MetricsTest {
    private static final Path DASHBOARD = Path.of("config/grafana-dashboard.json");

    @TempDir Path tmp;

    @Test
    void live_metrics_pass_promtool_carry_the_sre_set_and_every_family_is_on_the_dashboard() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve("f.txt"), "metrics\n".repeat(5000));
        Path file = tmp.resolve("plan.groovy");
        Files.writeString(file, """
                backup('web') {
                    schedule every('1s')
                    sources { files('site') { path '%s' } }
                    destinations { local('nas') { path '%s' } }
                    drill { schedule every('1s'); rto '15m'; check('site', files: true) { atLeast 1 } }
                    alerts { rpo '5m' }
                }
                service { http port: %d; catchUp false }
                """.formatted(data, tmp.resolve("nas"), freePort()));
        EngineSettings settings = new EngineSettings(tmp.resolve("state"), tmp.resolve("work"), ProgressListener.NONE);
        try (Service service = new Service(PlanLoader.load(file), settings, new Service.Timing(Duration.ofHours(1), Duration.ofHours(1)))) {
            service.start();
            await("a scheduled backup and a drill after it", () ->
                    service.metrics().scrape().contains("caravan_drills_completed_total{plan=\"web\",status=\"passed\"}"));
            HttpResponse<String> metrics = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort() + "/metrics"))
                            .timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            String body = metrics.body();
            Files.writeString(Path.of("target/metrics-scrape.txt"), body);

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

            // the JVM's and the process's own families, and Camel's route metrics (camel-micrometer)
            assertThat(typed).contains("jvm_memory_used_bytes", "jvm_threads_live_threads", "jvm_classes_loaded_classes",
                    "process_cpu_usage", "process_uptime_seconds", "process_files_open_files", "process_cpu_seconds_total", "system_cpus",
                    "camel_exchanges_total");
            assertThat(body).contains("route_id=\"caravan-plan-web-scheduled\"");

            // the SRE set: per source and type, by status and type, replication, drills and the declared targets
            assertThat(body)
                    .containsPattern("caravan_source_last_success_timestamp_seconds\\{plan=\"web\",source=\"site\",type=\"full\"} 1\\.[0-9]+E9")
                    .containsPattern("caravan_source_backups_completed_total\\{plan=\"web\",source=\"site\",status=\"ok\",type=\"full\"} [1-9]")
                    .containsPattern("caravan_backup_run_duration_seconds_count\\{plan=\"web\",type=\"full\"} [1-9]")
                    .containsPattern("caravan_backup_run_size_bytes_sum\\{plan=\"web\",type=\"full\"} [1-9]")
                    .contains("caravan_destination_replicated{destination=\"nas\",plan=\"web\"} 1.0")
                    .contains("caravan_rpo_target_seconds{plan=\"web\"} 300.0")
                    .contains("caravan_rto_target_seconds{plan=\"web\"} 900.0")
                    .contains("caravan_plan_info{plan=\"web\",rpo=\"5m\",rto=\"15m\",schedule=\"every('1s')\"} 1")
                    .containsPattern("caravan_recovery_point_age_seconds\\{plan=\"web\"} [0-9]");
            Matcher rto = Pattern.compile("caravan_drill_rto_seconds\\{plan=\"web\"} (\\S+)").matcher(body);
            assertThat(rto.find()).as("the measured RTO").isTrue();
            assertThat(Double.parseDouble(rto.group(1))).isPositive().isLessThan(900);

            // every family has a panel on the dashboard
            Set<String> plotted = dashboardMetricNames();
            List<String> missing = typed.stream().filter(f -> !plotted.contains(f)
                    && !plotted.contains(f + "_sum") && !plotted.contains(f + "_count") && !plotted.contains(f + "_bucket")).toList();
            assertThat(missing).as("families without a panel on " + DASHBOARD).isEmpty();
        }
    }

    /** Every metric name in a panel's query, over every panel of the dashboard (rows included). */
    static Set<String> dashboardMetricNames() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        Set<String> names = new LinkedHashSet<>();
        Pattern name = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
        for (JsonNode expr : dashboard.findValues("expr")) {
            Matcher m = name.matcher(expr.asText().replaceAll("\\{[^}]*}", "").replaceAll("\\[[^]]*]", ""));
            while (m.find()) {
                names.add(m.group());
            }
        }
        return names;
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
