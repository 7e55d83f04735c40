package dev.caravan.cli;

import dev.caravan.testing.FaultFixture;
import dev.caravan.testing.S3ProxyServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code verify} with two real destinations (a directory and S3Proxy, the suite's shared {@link FaultFixture}) when one of them holds a damaged
 * manifest.json: each copy is judged by its own destination's manifest, so the good copy elsewhere still
 * verifies, and the manifest that disagrees with the other is named.
 */
class VerifyEachCopyByItsOwnManifestTest {
    private static FaultFixture fx;

    @TempDir
    Path tmp;
    Path plan;
    Path nas;
    String run;

    @BeforeAll
    static void servers() throws Exception {
        fx = FaultFixture.get();
    }

    @BeforeEach
    void setUp() throws IOException {
        System.setProperty("caravan.state.dir", tmp.resolve("state").toString());
        System.setProperty("caravan.work.dir", tmp.resolve("work").toString());
        run = FaultFixture.newRun("v");
        Path data = tmp.resolve("data");
        Files.createDirectories(data);
        byte[] random = new byte[100_000];
        new Random(5).nextBytes(random);
        Files.write(data.resolve("blob.bin"), random);
        nas = tmp.resolve("nas");
        plan = tmp.resolve("plan.groovy");
        Files.writeString(plan, """
                backup('app') {
                    sources { files('tree') { path '%s' } }
                    destinations {
                        local('nas')  { path '%s' }
                        s3('cloud')   { bucket 'backups'; region 'us-east-1'; endpoint '%s'; prefix '%s/'
                                        accessKey '%s'; secretKey '%s' }
                    }
                }
                """.formatted(data, nas, fx.s3Endpoint(), run, S3ProxyServer.IDENTITY, S3ProxyServer.CREDENTIAL));
        CliRunner.Result now = CliRunner.run("now", plan.toString());
        assertThat(now.exit()).as(now.toString()).isZero();
        assertThat(CliRunner.run("verify", plan.toString()).exit()).isZero();
    }

    @AfterEach
    void tearDown() {
        System.clearProperty("caravan.state.dir");
        System.clearProperty("caravan.work.dir");
    }

    private Path nasManifest() throws IOException {
        try (Stream<Path> s = Files.walk(nas)) {
            return s.filter(p -> p.getFileName().toString().equals("manifest.json")).findFirst().orElseThrow();
        }
    }

    private Path cloudManifest() throws IOException {
        try (Stream<Path> s = Files.walk(fx.s3().dataDir().resolve("backups").resolve(run))) {
            return s.filter(p -> p.getFileName().toString().equals("manifest.json")).findFirst().orElseThrow();
        }
    }

    /** Changes one hex digit of the object's SHA-256 in a manifest file: still valid JSON, now wrong. */
    static void flipSha256(Path manifest) throws IOException {
        String json = Files.readString(manifest);
        Matcher m = Pattern.compile("\"sha256\" : \"([0-9a-f])").matcher(json);
        assertThat(m.find()).isTrue();
        char c = m.group(1).charAt(0);
        String damaged = json.substring(0, m.start(1)) + (c == '0' ? '1' : '0') + json.substring(m.end(1));
        Files.writeString(manifest, damaged);
    }

    private static List<String> lines(CliRunner.Result r, String start) {
        return r.out().lines().filter(l -> l.startsWith(start)).toList();
    }

    @Test
    void a_damaged_manifest_at_the_first_destination_does_not_fail_the_good_copy_at_the_other() throws Exception {
        flipSha256(nasManifest());

        CliRunner.Result verify = CliRunner.run("verify", plan.toString());
        assertThat(verify.exit()).as(verify.toString()).isEqualTo(1);
        assertThat(lines(verify, "OK")).anyMatch(l -> l.contains(" cloud tree.tar.zst"));
        assertThat(lines(verify, "FAILED")).noneMatch(l -> l.matches("FAILED  app \\S+ cloud .*"));
        assertThat(lines(verify, "FAILED")).anyMatch(l -> l.contains(" nas manifest.json: nas: manifest.json of ")
                && l.contains("disagrees with the one at cloud (tree.tar.zst: SHA-256); it was changed after the backup was written"));
    }

    @Test
    void a_damaged_manifest_at_the_second_destination_is_named_too() throws Exception {
        flipSha256(cloudManifest());

        CliRunner.Result verify = CliRunner.run("verify", plan.toString(), "--json");
        assertThat(verify.exit()).as(verify.toString()).isEqualTo(1);
        assertThat(verify.out()).contains("\"destination\" : \"cloud\",\n    \"object\" : \"manifest.json\"")
                .contains("cloud: manifest.json of ").contains("disagrees with the one at nas (tree.tar.zst: SHA-256)");
        CliRunner.Result text = CliRunner.run("verify", plan.toString());
        assertThat(lines(text, "OK")).anyMatch(l -> l.contains(" nas tree.tar.zst"));
        assertThat(lines(text, "FAILED")).noneMatch(l -> l.matches("FAILED  app \\S+ nas .*"));
    }

    @Test
    void a_manifest_that_no_longer_parses_costs_only_its_own_copy() throws Exception {
        Path m = nasManifest();
        String json = Files.readString(m);
        Files.writeString(m, json.substring(0, json.length() / 2));

        CliRunner.Result verify = CliRunner.run("verify", plan.toString());
        assertThat(verify.exit()).as(verify.toString()).isEqualTo(1);
        assertThat(lines(verify, "OK")).anyMatch(l -> l.contains(" cloud tree.tar.zst"));
        assertThat(lines(verify, "FAILED")).singleElement().asString()
                .contains(" nas manifest.json: nas: manifest.json of ").contains(" is damaged (not valid JSON: ")
                .endsWith("the copy does not count there");
        CliRunner.Result list = CliRunner.run("list", plan.toString());
        assertThat(list.exit()).as(list.toString()).isZero();
        assertThat(list.out()).contains("cloud").doesNotContain("nas,");
    }
}
