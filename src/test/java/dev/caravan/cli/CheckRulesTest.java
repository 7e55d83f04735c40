package dev.caravan.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code check} refuses, with exit 2 and the fixture's exact {@code FILE:LINE} text, plans whose
 * blocks break their kind's rules: before this, check said OK and the run died with one sentence
 * that named nothing.
 */
class CheckRulesTest {
    private static final Path FIXTURES = Path.of("src/test/resources/dsl");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"s3-rules", "sftp-rules", "azure-rules", "gcs-rules", "delivery-rules", "source-rules",
            "retention-off", "email-auth"})
    void check_exits_2_with_every_broken_rule(String fixture) throws Exception {
        CliRunner.Result r = CliRunner.run("check", FIXTURES.resolve(fixture + ".groovy").toString());

        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.out()).as(r.toString()).doesNotContain("OK");
        assertThat(r.err()).as(r.toString()).contains(Files.readString(FIXTURES.resolve(fixture + ".expected")).stripTrailing());
    }
}
