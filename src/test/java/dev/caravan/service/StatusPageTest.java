package dev.caravan.service;

import dev.caravan.dsl.PlanLoader;
import dev.caravan.pipeline.BackupRequest;
import dev.caravan.pipeline.EngineSettings;
import dev.caravan.pipeline.ProgressListener;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service's HTTP side: a catch-up run at start, then /metrics, /health and the status page
 * (which StatusPageBrowserTest renders in headless Chromium).
 */
class StatusPageTest {
    private final Path tmp = Path.of("target", "status-page-test").toAbsolutePath();

    @Test
    void the_service_catches_up_then_serves_metrics_health_and_a_status_page_that_chromium_renders() throws Exception {
        deleteTree(tmp);
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve("f.txt"), "status page\n".repeat(2000));
        Path file = tmp.resolve("plan.groovy");
        Files.writeString(file, """
                backup('web') {
                    schedule '0 3 * * *'
                    sources { files('site') { path '%s' } }
                    destinations { local('nas') { path '%s' }; local('usb') { path '%s' } }
                    alerts { staleAfter '25h' }
                }
                service { http port: %d }
                """.formatted(data, tmp.resolve("nas"), tmp.resolve("usb"), freePort()));
        EngineSettings settings = new EngineSettings(tmp.resolve("state"), tmp.resolve("work"), ProgressListener.NONE);
        try (Service service = new Service(PlanLoader.load(file), settings, Service.Timing.DEFAULT)) {
            service.start();
            ServiceReloadTest.await("the missed fire runs at start", () -> manifests() >= 1);
            for (int i = 0; i < 2; i++) {
                Files.writeString(data.resolve("more" + i + ".bin"), "y".repeat(20_000 * (i + 1)));
                Thread.sleep(1100); // backup ids are per second
                assertThat(service.engine().backup(service.config().plans().get(0), BackupRequest.SCHEDULED).ok()).isTrue();
            }
            String base = "http://127.0.0.1:" + service.httpPort();

            HttpResponse<String> metrics = get(base + "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body())
                    .contains("caravan_backups_completed_total{plan=\"web\",status=\"ok\"} 3.0")
                    .contains("caravan_destination_copies_total{destination=\"usb\",plan=\"web\",status=\"ok\"} 3.0")
                    .contains("caravan_destination_reachable{destination=\"nas\",plan=\"web\"} 1.0")
                    .contains("caravan_stale_after_seconds{plan=\"web\"} 90000.0")
                    .containsPattern("caravan_backup_rpo_seconds\\{plan=\"web\"} [0-9.]+")
                    .containsPattern("caravan_backup_size_bytes\\{plan=\"web\"} [1-9][0-9.E]+");

            HttpResponse<String> health = get(base + "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\" : \"UP\"").contains("\"nas\" : \"UP\"")
                    .contains("\"id\" : \"destinations\"");

            // the page itself, in a browser, is StatusPageBrowserTest's
            HttpResponse<String> page = get(base + "/");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("Plan web").contains("RPO: newest backup").contains("within")
                    .contains("<svg class=\"chart\"");
            assertThat(page.body().split("<rect class=\"size\"", -1)).hasSize(4);
        }
    }

    private long manifests() {
        try (Stream<Path> s = Files.walk(tmp.resolve("nas"))) {
            return s.filter(f -> f.getFileName().toString().equals("manifest.json")).count();
        } catch (Exception e) {
            return 0;
        }
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) throws Exception {
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
