package dev.caravan.cli;

import dev.caravan.testing.FaultFixture;
import dev.caravan.testing.MinaSftpServer;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A destination that cannot be reached when the run starts (its server stopped, its credentials wrong)
 * fails alone: local and SFTP still get a complete, verified backup with its manifest, the run exits 1
 * with one sentence naming the destination and the root cause, and {@code replicate} heals it once the
 * server is back. Real S3Proxy and MINA SSHD on loopback, the suite's shared {@link FaultFixture}: the S3
 * server is stopped by pulling its cable.
 */
class DestinationDownAtStartTest {
    private static FaultFixture fx;

    @TempDir
    Path tmp;
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
        run = FaultFixture.newRun("down");
        data = tmp.resolve("data");
        Files.createDirectories(data);
        Files.writeString(data.resolve("a.txt"), "alpha\n".repeat(5000));
    }

    @AfterEach
    void tearDown() throws IOException {
        fx.restoreAll();
        System.clearProperty("caravan.state.dir");
        System.clearProperty("caravan.work.dir");
    }

    private Path plan(String secretKey) throws IOException {
        Path p = tmp.resolve("plan.groovy");
        Files.writeString(p, """
                backup('app') {
                    sources { files('tree') { path '%s' } }
                    destinations {
                        local('nas')    { path '%s' }
                        s3('primary')   { bucket 'backups'; region 'us-east-1'; endpoint '%s'; prefix '%s/'
                                          accessKey '%s'; secretKey '%s'; retries 0 }
                        sftp('offsite') { host '127.0.0.1'; port %d; user '%s'; password '%s'; path '/backups/%s'
                                          knownHosts '%s' }
                    }
                    retention { keepLast 5 }
                    verify { afterUpload true }
                }
                """.formatted(data, tmp.resolve("nas"), fx.s3Endpoint(), run, S3ProxyServer.IDENTITY, secretKey,
                fx.sftpPort(), MinaSftpServer.USER, MinaSftpServer.PASSWORD, run, fx.sftpKnownHosts()));
        return p;
    }

    private static CliRunner.Result caravan(String... args) {
        return CliRunner.run(args);
    }

    @Test
    void an_s3_server_stopped_before_the_run_fails_alone_in_one_sentence_and_replicate_heals_it() throws Exception {
        Path plan = plan(S3ProxyServer.CREDENTIAL);
        fx.cut(FaultFixture.S3);
        CliRunner.Result now;
        try {
            now = caravan("now", plan.toString());
        } finally {
            fx.restore(FaultFixture.S3);
        }
        assertThat(now.exit()).as(now.toString()).isEqualTo(1);
        assertThat(now.toString()).doesNotContain("Exception occurred during execution on the exchange").doesNotContain("Exception:");
        assertThat(now.out()).contains("destination nas: stored and verified", "destination offsite: stored and verified");
        List<String> failed = now.out().lines().filter(l -> l.contains("FAILED")).toList();
        assertThat(failed).as(now.toString()).hasSize(1);
        assertThat(failed.get(0)).isEqualTo("  destination primary: FAILED: s3 'primary': cannot connect to "
                + fx.hostPort(FaultFixture.S3) + " (connection refused)");

        CliRunner.Result list = caravan("list", plan.toString());
        assertThat(list.exit()).as(list.toString()).isZero();
        assertThat(list.out()).contains("nas,offsite").doesNotContain("primary");
        assertThat(caravan("verify", plan.toString(), "latest", "--from", "nas").exit()).isZero();
        assertThat(caravan("verify", plan.toString(), "latest", "--from", "offsite").exit()).isZero();

        CliRunner.Result replicate = caravan("replicate", plan.toString());
        assertThat(replicate.exit()).as(replicate.toString()).isZero();
        assertThat(replicate.out()).contains("-> primary: copied");
        CliRunner.Result verify = caravan("verify", plan.toString(), "latest", "--from", "primary");
        assertThat(verify.exit()).as(verify.toString()).isZero();
        assertThat(caravan("list", plan.toString()).out()).contains("nas,primary,offsite");
    }

    @Test
    void wrong_s3_credentials_at_the_start_fail_alone_in_one_sentence() throws Exception {
        Path plan = plan("not-the-secret");
        CliRunner.Result now = caravan("now", plan.toString());
        assertThat(now.exit()).as(now.toString()).isEqualTo(1);
        assertThat(now.toString()).doesNotContain("Exception occurred during execution on the exchange");
        assertThat(now.out()).contains("destination nas: stored and verified", "destination offsite: stored and verified");
        List<String> failed = now.out().lines().filter(l -> l.contains("FAILED")).toList();
        assertThat(failed).as(now.toString()).hasSize(1);
        assertThat(failed.get(0)).isEqualTo("  destination primary: FAILED: s3 'primary': access denied to bucket 'backups'"
                + " (check accessKey/secretKey)");
        assertThat(now.toString()).doesNotContain("not-the-secret");
        assertThat(caravan("list", plan.toString()).out()).contains("nas,offsite");
    }
}
