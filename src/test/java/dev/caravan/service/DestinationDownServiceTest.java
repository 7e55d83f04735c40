package dev.caravan.service;

import dev.caravan.dsl.PlanLoader;
import dev.caravan.pipeline.BackupRequest;
import dev.caravan.pipeline.BackupResult;
import dev.caravan.pipeline.EngineSettings;
import dev.caravan.pipeline.ProgressListener;
import dev.caravan.testing.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service starts, keeps its schedule and runs while destinations are down: one whose client cannot
 * even be made (an Azure connection string without an account) and one whose server is not there (S3 on a
 * port nobody listens on). {@code /health} names both with their reason; the local destination gets every
 * backup.
 */
class DestinationDownServiceTest {
    @TempDir
    Path tmp;

    @Test
    void the_service_starts_and_runs_while_destinations_are_down_and_health_names_them() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve("f.txt"), "down\n".repeat(1000));
        int s3Port = ServerProcess.freePort();
        int httpPort = ServerProcess.freePort();
        Path file = tmp.resolve("plan.groovy");
        Files.writeString(file, """
                backup('web') {
                    schedule '0 3 * * *'
                    sources { files('site') { path '%s' } }
                    destinations {
                        local('nas') { path '%s' }
                        azure('blob') { container 'c'; connectionString 'DefaultEndpointsProtocol=http'; retries 0 }
                        s3('cloud') { bucket 'b'; region 'us-east-1'; endpoint 'http://127.0.0.1:%d'; accessKey 'k'; secretKey 's'; retries 0 }
                    }
                }
                service { http port: %d; catchUp false }
                """.formatted(data, tmp.resolve("nas"), s3Port, httpPort));
        EngineSettings settings = new EngineSettings(tmp.resolve("state"), tmp.resolve("work"), ProgressListener.NONE);
        try (Service service = new Service(PlanLoader.load(file), settings, Service.Timing.DEFAULT)) {
            service.start();
            assertThat(service.nextFireTime("web")).as("the schedule is kept").isPresent();

            HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.body()).contains("\"nas\" : \"UP\"")
                    .contains("\"blob\" : \"DOWN: azure 'blob': Invalid connection string.\"")
                    .contains("\"cloud\" : \"DOWN: s3 'cloud': cannot connect to 127.0.0.1:" + s3Port + " (connection refused)\"")
                    .doesNotContain("Exception occurred");

            BackupResult r = service.engine().backup(service.config().plans().get(0), BackupRequest.SCHEDULED);
            assertThat(r.ok()).isFalse();
            assertThat(r.destinations().get("nas")).isNull();
            assertThat(r.destinations().get("blob")).isEqualTo("azure 'blob': Invalid connection string.");
            assertThat(r.destinations().get("cloud")).isEqualTo("s3 'cloud': cannot connect to 127.0.0.1:" + s3Port + " (connection refused)");
            try (Stream<Path> s = Files.walk(tmp.resolve("nas"))) {
                assertThat(s.map(p -> p.getFileName().toString())).contains("manifest.json", "site.tar.zst");
            }
            assertThat(service.nextFireTime("web")).as("still scheduled after the failed run").isPresent();
        }
    }
}
