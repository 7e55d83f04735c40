package dev.caravan.dsl;

import dev.caravan.model.Compression;
import dev.caravan.model.Config;
import dev.caravan.model.Encryption;
import dev.caravan.model.Options;
import dev.caravan.model.Plan;
import dev.caravan.model.Retention;
import dev.caravan.model.Schedule;
import dev.caravan.model.Secret;
import dev.caravan.model.ServiceSpec;
import dev.caravan.model.VerifySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class PlanLoaderTest {
    static final String RECIPIENT_1 = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";
    static final String RECIPIENT_2 = "age1e0k7nj2a0f2lnjhj7hakzearc9x4wf324x06kzkxm60jmd9fkd0qjhmgdh";

    @TempDir
    Path dir;

    private Config loadFull() throws Exception {
        Path plan = dir.resolve("full.groovy");
        Files.copy(PlanFixturesTest.FIXTURES.resolve("valid/full.groovy"), plan);
        Files.writeString(dir.resolve("pass.txt"), "  correct horse battery staple\n");
        return PlanLoader.load(plan, Map.of("CAMPAIGN_DIR", "/data2/rpger/campaigns",
                "SECOND_RECIPIENT", RECIPIENT_2)::get);
    }

    @Test
    void a_full_plan_loads_into_the_expected_model() throws Exception {
        Config config = loadFull();

        assertThat(config.file()).isEqualTo(dir.resolve("full.groovy"));
        assertThat(config.service()).isEqualTo(new ServiceSpec(9091));
        assertThat(config.plans()).extracting(Plan::name).containsExactly("rpger", "hourly", "manual");

        Plan rpger = config.plan("rpger").orElseThrow();
        assertThat(rpger.line()).isEqualTo(7);
        assertThat(rpger.schedule()).isEqualTo(Schedule.cron("0 2 * * 1-5", "0 0 2 ? * 2-6"));
        assertThat(rpger.timezone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(rpger.sources()).hasSize(2);
        assertThat(rpger.sources().get(0).kind()).isEqualTo("files");
        assertThat(rpger.sources().get(0).line()).isEqualTo(12);
        assertThat(rpger.source("chroma").orElseThrow().options().asMap()).isEqualTo(Map.of(
                "path", "/data2/rpger/chroma", "exclude", List.of("**/*.log", "cache/**", "tmp/**")));
        assertThat(rpger.source("campaigns").orElseThrow().options().asMap()).isEqualTo(Map.of(
                "path", "/data2/rpger/campaigns", "include", List.of("**/*.json")));
        assertThat(rpger.compression()).isEqualTo(new Compression("xz", 9, 2));
        assertThat(rpger.encryption()).isEqualTo(new Encryption(List.of(RECIPIENT_1, RECIPIENT_2), null));
        assertThat(rpger.destinations()).extracting(d -> d.kind() + ":" + d.name() + ":" + d.options().string("path").orElseThrow())
                .containsExactly("local:nas:/mnt/nas/backups", "local:usb:/media/usb/backups");
        assertThat(rpger.retention()).isEqualTo(new Retention(3, 24, 7, 4, 12, 3, Duration.ofDays(2),
                1_649_267_441_664L, Map.of("pre-update",
                new Retention(2, 0, 0, 0, 0, 0, Duration.ofDays(7), 500_000_000L, Map.of()))));
        assertThat(rpger.verify()).isEqualTo(new VerifySpec(false));

        Plan hourly = config.plan("hourly").orElseThrow();
        assertThat(hourly.schedule()).isEqualTo(Schedule.every("every('15m')", Duration.ofMinutes(15)));
        assertThat(hourly.compression()).isEqualTo(Compression.NONE);
        assertThat(hourly.encryption().passphrase())
                .isEqualTo(new Secret("correct horse battery staple", "secret(pass.txt)"));
        assertThat(hourly.retention()).isEqualTo(Retention.KEEP_ALL);

        Plan manual = config.plan("manual").orElseThrow();
        assertThat(manual.schedule()).as("no schedule: runs only with 'now'").isNull();
        assertThat(manual.timezone()).isEqualTo(ZoneId.systemDefault());
        assertThat(manual.compression()).isEqualTo(Compression.DEFAULT);
        assertThat(manual.encryption()).isEqualTo(Encryption.NONE);
        assertThat(manual.verify()).isEqualTo(VerifySpec.DEFAULT);
    }

    @Test
    void the_model_holds_no_groovy_types() throws Exception {
        Plan rpger = loadFull().plan("rpger").orElseThrow();
        Options nas = rpger.destination("nas").orElseThrow().options();
        assertThat(nas.asMap().get("path")).isExactlyInstanceOf(String.class);
        Object exclude = rpger.source("chroma").orElseThrow().options().asMap().get("exclude");
        assertThat(exclude.getClass().getName()).startsWith("java.util.ImmutableCollections");
    }

    @Test
    void secrets_never_show_in_the_printed_model() throws Exception {
        Config config = loadFull();
        String printed = config.toString() + config.plan("hourly").orElseThrow().encryption();
        assertThat(printed).doesNotContain("correct horse").contains("<secret secret(pass.txt)>");
        Options withSecret = new Options(Map.of("password", new Secret("hunter2", "env(PGPASSWORD)")));
        assertThat(withSecret.toString()).doesNotContain("hunter2").contains("env(PGPASSWORD)");
    }

    @Test
    void a_problem_in_one_plan_does_not_hide_the_problems_in_the_next() throws Exception {
        Path plan = dir.resolve("two.groovy");
        Files.writeString(plan, """
                backup('a') {
                    sources { files('x') { path 5 } }
                    destinations { local('y') { path '/y' } }
                }
                backup('b') {
                    compress 'gzip', level: 0
                    sources { files('x') { path '/x' } }
                    destinations { local('y') { path '/y' } }
                }
                """);
        PlanException e = catchThrowableOfType(PlanException.class, () -> PlanLoader.load(plan, k -> null));
        assertThat(e.problems()).extracting(Problem::line).containsExactly(2, 6);
        assertThat(e.problems().get(0).format()).isEqualTo("""
                two.groovy:2: source 'x': option 'path' takes a path (relative to the plan file's directory)
                  e.g. path '/data2/rpger/chroma'""");
    }

    @Test
    void a_boolean_option_may_be_written_bare_and_strings_add_up() throws Exception {
        Path plan = dir.resolve("bare.groovy");
        Files.writeString(plan, """
                backup('a') {
                    sources { files('x') { path '/x'; include '*.json'; include(['*.yaml', '*.toml']) } }
                    destinations { local('y') { path '/y' } }
                    verify { afterUpload }
                }
                """);
        Plan a = PlanLoader.load(plan, k -> null).plans().get(0);
        assertThat(a.verify().afterUpload()).isTrue();
        assertThat(a.source("x").orElseThrow().options().strings("include"))
                .containsExactly("*.json", "*.yaml", "*.toml");
    }

    @Test
    void a_missing_file_is_a_problem_not_a_crash() {
        PlanException e = catchThrowableOfType(PlanException.class,
                () -> PlanLoader.load(dir.resolve("nope.groovy")));
        assertThat(e.getMessage()).isEqualTo("nope.groovy:0: no such file");
    }
}
