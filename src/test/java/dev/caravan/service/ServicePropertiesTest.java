package dev.caravan.service;

import dev.caravan.cli.CliRunner;
import dev.caravan.dsl.PlanLoader;
import dev.caravan.pipeline.EngineSettings;
import dev.caravan.pipeline.ProgressListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service's application.properties: Camel Main configures the engine from its {@code camel.*}
 * keys, Caravan validates its own {@code caravan.*} keys with the line of each problem ({@code check}
 * and {@code run} exit 2), and the keys docs/service.md lists are the ones the code reads.
 */
class ServicePropertiesTest {
    @TempDir
    Path tmp;

    private Path plan() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve("a.txt"), "a");
        return Files.writeString(tmp.resolve("plan.groovy"), """
                backup('docs') {
                    schedule '@daily'
                    sources { files('d') { path '%s' } }
                    destinations { local('nas') { path '%s' } }
                }
                service { catchUp false; shutdownTimeout '60s' }
                """.formatted(data, tmp.resolve("nas")));
    }

    @Test
    void camel_keys_configure_the_engine_and_caravan_keys_the_service() throws Exception {
        Path props = Files.writeString(tmp.resolve("application.properties"), """
                # the engine, as Camel Main reads it
                camel.main.shutdownTimeout = 7
                camel.threadpool.maxPoolSize = 13
                camel.main.streamCachingEnabled = false
                # the service
                caravan.service.watchEvery = 1s
                caravan.service.checkEvery = 30s
                caravan.metrics.camelRoutes = false
                """);
        ServiceProperties p = ServiceProperties.load(props);
        assertThat(p.timing()).isEqualTo(new Service.Timing(Duration.ofSeconds(1), Duration.ofSeconds(30)));
        assertThat(p.camelRoutes()).isFalse();
        EngineSettings settings = new EngineSettings(tmp.resolve("state"), tmp.resolve("work"), ProgressListener.NONE);
        try (Service service = new Service(PlanLoader.load(plan()), settings, p, props)) {
            service.start();
            var camel = service.engine().camel();
            assertThat(camel.getShutdownStrategy().getTimeout()).as("camel.main.shutdownTimeout wins over the plan's 60s").isEqualTo(7);
            assertThat(camel.getExecutorServiceManager().getDefaultThreadPoolProfile().getMaxPoolSize()).isEqualTo(13);
            assertThat(camel.isStreamCaching()).isFalse();
            assertThat(service.metrics().scrape()).as("caravan.metrics.camelRoutes = false").doesNotContain("camel_exchanges_total");
        }
    }

    @Test
    void without_the_engine_key_the_plans_shutdown_timeout_holds() throws Exception {
        EngineSettings settings = new EngineSettings(tmp.resolve("state"), tmp.resolve("work"), ProgressListener.NONE);
        try (Service service = new Service(PlanLoader.load(plan()), settings, ServiceProperties.DEFAULT, null)) {
            assertThat(service.engine().camel().getShutdownStrategy().getTimeout()).isEqualTo(60);
        }
    }

    @Test
    void the_environment_overrides_in_camels_relaxed_spelling_count_as_set() throws Exception {
        CamelMainEngine main = CamelMainEngine.start(null, new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), false);
        try {
            assertThat(main.sets("camel.main.shutdownTimeout", Map.of("CAMEL_MAIN_SHUTDOWNTIMEOUT", "5"))).isTrue();
            assertThat(main.sets("camel.main.shutdownTimeout", Map.of("CAMEL_MAIN_SHUTDOWN_TIMEOUT", "5"))).isTrue();
            assertThat(main.sets("camel.main.shutdownTimeout", Map.of("CAMEL_THREADPOOL_MAXPOOLSIZE", "5"))).isFalse();
        } finally {
            main.close();
        }
    }

    @Test
    void a_bad_caravan_key_or_value_is_a_problem_at_its_line_in_check_and_run() throws Exception {
        Path plan = plan();
        Files.writeString(tmp.resolve("application.properties"), """
                camel.main.name = caravan
                caravan.service.watchEvery = soon
                caravan.metrics.camelRoute = true
                caravan.metrics.camelRoutes = yes
                """);
        String props = tmp.resolve("application.properties").toString();
        // check finds the file beside the plan by itself
        CliRunner.Result check = CliRunner.run("check", plan.toString());
        assertThat(check.exit()).as(check.toString()).isEqualTo(2);
        assertThat(check.err())
                .contains(props + ":2: caravan.service.watchEvery: invalid duration 'soon': expected a number and a unit s, m, h, d or w")
                .contains(props + ":3: caravan.metrics.camelRoute: unknown key; did you mean 'caravan.metrics.camelRoutes'?")
                .contains(props + ":4: caravan.metrics.camelRoutes: expected true or false, not 'yes'")
                .doesNotContain("Exception");
        CliRunner.Result run = CliRunner.run("run", plan.toString(), "--properties", props);
        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains(props + ":2: caravan.service.watchEvery:");
    }

    @Test
    void a_camel_key_camel_does_not_know_stops_run_with_its_line() throws Exception {
        Path plan = plan();
        Path props = Files.writeString(tmp.resolve("engine.properties"), """
                # engine
                camel.main.shutdownTimout = 5
                """);
        CliRunner.Result run = CliRunner.run("run", plan.toString(), "--properties", props.toString());
        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains(props + ":2: camel.main.shutdownTimout: Camel has no such option").doesNotContain("Exception");
    }

    @Test
    void docs_service_md_lists_every_caravan_key() throws Exception {
        String doc = Files.readString(Path.of("docs/service.md"));
        assertThat(ServiceProperties.KEYS.keySet()).allSatisfy(k -> assertThat(doc).contains("`" + k + "`"));
        String shipped = Files.readString(Path.of("config/application.properties"));
        assertThat(ServiceProperties.KEYS.keySet()).allSatisfy(k -> assertThat(shipped).contains(k));
        assertThat(ServiceProperties.load(Path.of("config/application.properties"))).isEqualTo(ServiceProperties.DEFAULT);
    }
}
