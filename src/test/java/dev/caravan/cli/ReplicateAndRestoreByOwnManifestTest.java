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
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code replicate} and {@code restore} with three real destinations (two directories and S3Proxy, the suite's shared
 * {@link FaultFixture}) when the first one's manifest.json was changed after the backup: each holder is judged by its
 * own manifest, so the good copy at the S3 destination heals the third and is restored, and the changed manifest is named.
 */
class ReplicateAndRestoreByOwnManifestTest {
    private static FaultFixture fx;

    @TempDir
    Path tmp;
    Path plan;
    Path nas;
    Path spare;
    Path data;
    String run;

    @BeforeAll
    static void servers() throws Exception {
        fx = FaultFixture.get();
    }

    @BeforeEach
    void setUp() throws IOException {
        System.setProperty("caravan.state.dir", tmp.resolve("state").toString());
        System.setProperty("caravan.work.dir", tmp.resolve("work").toString());
        run = FaultFixture.newRun("rr");
        data = tmp.resolve("data");
        Files.createDirectories(data);
        byte[] random = new byte[100_000];
        new Random(7).nextBytes(random);
        Files.write(data.resolve("blob.bin"), random);
        nas = tmp.resolve("nas");
        spare = tmp.resolve("spare");
        plan = tmp.resolve("plan.groovy");
        Files.writeString(plan, """
                backup('app') {
                    sources { files('tree') { path '%s' } }
                    destinations {
                        local('nas')   { path '%s' }
                        s3('cloud')    { bucket 'backups'; region 'us-east-1'; endpoint '%s'; prefix '%s/'
                                         accessKey '%s'; secretKey '%s' }
                        local('spare') { path '%s' }
                    }
                }
                """.formatted(data, nas, fx.s3Endpoint(), run, S3ProxyServer.IDENTITY, S3ProxyServer.CREDENTIAL, spare));
        CliRunner.Result now = CliRunner.run("now", plan.toString());
        assertThat(now.exit()).as(now.toString()).isZero();
    }

    @AfterEach
    void tearDown() {
        System.clearProperty("caravan.state.dir");
        System.clearProperty("caravan.work.dir");
    }

    private static Path manifestUnder(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.getFileName().toString().equals("manifest.json")).findFirst().orElseThrow();
        }
    }

    private static void flipSha256(Path manifest) throws IOException {
        VerifyEachCopyByItsOwnManifestTest.flipSha256(manifest);
    }

    @Test
    void replicate_heals_from_the_holder_whose_copy_matches_its_own_manifest_and_names_the_changed_one() throws Exception {
        Path cloudManifest = manifestUnder(fx.s3().dataDir().resolve("backups").resolve(run));
        Path backupFolder = manifestUnder(spare).getParent();
        try (Stream<Path> s = Files.walk(backupFolder)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        flipSha256(manifestUnder(nas));

        CliRunner.Result r = CliRunner.run("replicate", plan.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains(" -> spare: copied 1 objects").contains(" from cloud, read back and verified");
        assertThat(r.err()).contains("caravan: app/nas: manifest.json of ")
                .contains("disagrees with the one at cloud (tree.tar.zst: SHA-256); it was changed after the backup was written; not used as a source");
        // the healed copy's manifest is the one its objects were checked against, not the changed one
        assertThat(Files.readString(manifestUnder(spare))).isEqualTo(Files.readString(cloudManifest));
        CliRunner.Result verify = CliRunner.run("verify", plan.toString());
        assertThat(verify.out()).contains(" spare tree.tar.zst").doesNotContain("FAILED  app " + backupFolder.getFileName() + " spare");
    }

    @Test
    void restore_names_the_changed_manifest_and_restores_from_a_copy_that_matches_its_own() throws Exception {
        flipSha256(manifestUnder(nas));
        Path target = tmp.resolve("restored");

        CliRunner.Result r = CliRunner.run("restore", plan.toString(), "latest", "--to", target.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.err()).contains("caravan: skipping nas: manifest.json of ").contains("disagrees with the one at cloud, spare");
        assertThat(r.out()).contains("restoring tree from cloud");
        try (Stream<Path> s = Files.walk(target)) {
            Path blob = s.filter(p -> p.getFileName().toString().equals("blob.bin")).findFirst().orElseThrow();
            assertThat(Files.readAllBytes(blob)).isEqualTo(Files.readAllBytes(data.resolve("blob.bin")));
        }
    }
}
