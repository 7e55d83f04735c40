package dev.caravan.pipeline;

import dev.caravan.dsl.PlanLoader;
import dev.caravan.model.Config;
import dev.caravan.model.Plan;
import dev.caravan.testing.S3ProxyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * What the service's hot reload does to a plan whose destinations changed: the old destinations'
 * clients are closed, and the plan's next run uses clients made from the new definition (not a
 * cached endpoint holding the old, closed one).
 */
class ReplacedPlanDestinationsTest {
    @TempDir
    Path tmp;

    private Plan plan(S3ProxyServer s3, String secret) throws Exception {
        Path file = tmp.resolve("plan-" + secret + ".groovy");
        Files.writeString(file, """
                backup('site') {
                    sources { files('www') { path '%s' } }
                    destinations { s3('offsite') { bucket 'backups'; endpoint '%s'; accessKey '%s'; secretKey '%s'; retries 0 } }
                }
                """.formatted(tmp.resolve("data"), s3.endpoint(), S3ProxyServer.IDENTITY, secret));
        Config config = PlanLoader.load(file, Map.<String, String>of()::get);
        return config.plans().get(0);
    }

    @Test
    void a_replaced_plan_runs_with_its_new_destination_clients_and_the_old_ones_are_closed() throws Exception {
        Files.createDirectories(tmp.resolve("data"));
        Files.writeString(tmp.resolve("data/index.html"), "<h1>hello</h1>\n");
        try (S3ProxyServer s3 = S3ProxyServer.start(tmp.resolve("s3"), "backups")) {
            Plan good = plan(s3, S3ProxyServer.CREDENTIAL);
            Plan wrong = plan(s3, "not-the-secret");
            EngineSettings settings = new EngineSettings(tmp.resolve("state"), tmp.resolve("work"), ProgressListener.NONE);
            try (Engine engine = new Engine(new Config(tmp.resolve("plan.groovy"), List.of(good), null), settings)) {
                assertThat(engine.backup(good, new BackupRequest("manual", null, List.of())).ok()).isTrue();
                var first = engine.destinations(good).get("offsite");

                engine.replacePlanRoute("site", null, null);
                assertThat(catchThrowable(() -> first.list("site/"))).as("the replaced destination's client is closed").isNotNull();
                BackupResult refused = engine.backup(wrong, new BackupRequest("manual", null, List.of()));
                assertThat(refused.ok()).isFalse();
                assertThat(refused.destinations().get("offsite")).contains("offsite");

                engine.replacePlanRoute("site", null, null);
                BackupResult again = engine.backup(good, new BackupRequest("manual", null, List.of()));
                assertThat(again.ok()).as(again.destinations().toString()).isTrue();
            }
        }
    }
}
