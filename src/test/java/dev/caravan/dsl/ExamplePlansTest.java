package dev.caravan.dsl;

import dev.caravan.model.Config;
import dev.caravan.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped plans (dsl/reference.groovy, config/quickstart.groovy and every dsl/examples/*.groovy) load and pass check as they are. */
class ExamplePlansTest {
    private static final Map<String, String> ENV = Map.of(
            "CARAVAN_AGE_RECIPIENT", "age1e0k7nj2a0f2lnjhj7hakzearc9x4wf324x06kzkxm60jmd9fkd0qjhmgdh",
            "APP_CONFIG_DIR", "/etc/app",
            "PGPASSWORD", "pg-secret", "REDIS_PASSWORD", "redis-secret", "MYSQL_PASSWORD", "mysql-secret",
            "AZURE_STORAGE_CONNECTION_STRING", "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=a2V5;",
            "CARAVAN_WEBHOOK_URL", "https://hooks.example.com/T000/B000",
            "MONGO_URI", "mongodb://backup:pw@localhost:27017/?authSource=admin");

    static Stream<Path> plans() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("dsl/examples"))) {
            return Stream.concat(Stream.of(Path.of("dsl/reference.groovy"), Path.of("config/quickstart.groovy")),
                    files.filter(p -> p.toString().endsWith(".groovy")).sorted().toList().stream());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plans")
    void a_shipped_plan_loads(Path plan) throws Exception {
        Config config = PlanLoader.load(plan, ENV::get);
        assertThat(config.plans()).isNotEmpty();
    }

    /**
     * What a reader does with an example: {@code caravan check} it, in its own JVM with the
     * environment the plan reads, and gets OK (exit 0) with every plan of the file listed.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("plans")
    void caravan_check_accepts_a_shipped_plan(Path plan) throws Exception {
        Config config = PlanLoader.load(plan, ENV::get);
        ProcessBuilder pb = new ProcessBuilder(ChildJvm.java("-cp", System.getProperty("java.class.path"),
                "dev.caravan.cli.Main", "check", plan.toString())).redirectErrorStream(true);
        pb.environment().putAll(ENV);
        pb.environment().put("CARAVAN_PLAN_CACHE", "0");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).as(output).contains(plan + ": OK, " + config.plans().size() + " plan(s)");
        for (var each : config.plans()) {
            assertThat(output).contains("plan '" + each.name() + "'");
        }
    }

    @Test
    void the_files_to_nas_example_backs_up_three_directories_to_the_nas_with_gfs_retention() throws Exception {
        var plan = PlanLoader.load(Path.of("dsl/examples/files-to-nas.groovy"), ENV::get).plan("rpger").orElseThrow();
        assertThat(plan.sources()).extracting(s -> s.name()).containsExactly("chroma", "campaigns", "config");
        assertThat(plan.source("chroma").orElseThrow().options().strings("exclude"))
                .containsExactly("**/*.log", "**/cache/**");
        assertThat(plan.compression().algorithm()).isEqualTo("zstd");
        assertThat(plan.encryption().recipients()).containsExactly(ENV.get("CARAVAN_AGE_RECIPIENT"));
        assertThat(plan.destinations()).extracting(d -> d.kind()).containsExactly("local");
        assertThat(plan.retention().daily()).isEqualTo(7);
        assertThat(plan.retention().monthly()).isEqualTo(12);
    }
}
