package dev.caravan.cli;

import dev.caravan.testing.AzuriteServer;
import dev.caravan.testing.FaultFixture;
import dev.caravan.testing.MinaSftpServer;
import dev.caravan.testing.S3ProxyServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One plan, five destinations on loopback (local disk, and S3Proxy, Azurite, MINA SSHD of the suite's shared
 * {@link FaultFixture}, and Google's in-process fake GCS, reached through
 * {@link dev.caravan.testing.LocalGcsRpcFactory}), through the command line:
 * the round trip, a destination killed mid-upload and healed by {@code replicate}, wrong credentials,
 * and a corrupted copy.
 */
class ReplicationScenariosTest {
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
        run = FaultFixture.newRun("rep");
        data = tmp.resolve("data");
        Files.createDirectories(data.resolve("sub"));
        Files.writeString(data.resolve("a.txt"), "alpha\n".repeat(5000));
        byte[] random = new byte[200_000];
        new Random(3).nextBytes(random);
        Files.write(data.resolve("sub/blob.bin"), random);
    }

    @AfterEach
    void tearDown() throws IOException {
        fx.restoreAll();
        System.clearProperty("caravan.state.dir");
        System.clearProperty("caravan.work.dir");
    }

    /** The five destinations, each under a prefix of its own for this test; {@code extra} adds options per destination. */
    private Path plan(String azureKey, String s3Extra) throws IOException {
        Path p = tmp.resolve("plan.groovy");
        Files.writeString(p, """
                backup('app') {
                    sources { files('tree') { path '%s' } }
                    compress 'zstd', level: 3
                    destinations {
                        local('nas')    { path '%s' }
                        s3('primary')   { bucket 'backups'; region 'us-east-1'; endpoint '%s'; prefix '%s/'
                                          accessKey '%s'; secretKey '%s'; partSize 5%s }
                        azure('blob')   { container 'c-%s'; connectionString '%s'; retries 0 }
                        sftp('offsite') { host '127.0.0.1'; port %d; user '%s'; password '%s'; path '/backups/%s'
                                          knownHosts '%s' }
                        gcs('dr')       { bucket 'backups-dr'; project 'caravan-test'; prefix '%s/' }
                    }
                    retention { keepLast 5 }
                    verify { afterUpload true }
                }
                """.formatted(data, tmp.resolve("nas"), fx.s3Endpoint(), run, S3ProxyServer.IDENTITY, S3ProxyServer.CREDENTIAL,
                s3Extra, run, fx.azureConnectionString(azureKey), fx.sftpPort(), MinaSftpServer.USER, MinaSftpServer.PASSWORD,
                run, fx.sftpKnownHosts(), run));
        return p;
    }

    private Path plan() throws IOException {
        return plan(AzuriteServer.KEY, "");
    }

    private static CliRunner.Result caravan(String... args) {
        return CliRunner.run(args);
    }

    private void assertRestoresIdentically(Path plan, String from) throws IOException {
        Path to = tmp.resolve("restored-" + (from == null ? "any" : from));
        List<String> args = new ArrayList<>(List.of("restore", plan.toString(), "latest", "--to", to.toString()));
        if (from != null) {
            args.addAll(List.of("--from", from));
        }
        CliRunner.Result r = caravan(args.toArray(String[]::new));
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(to.resolve("a.txt")).hasSameBinaryContentAs(data.resolve("a.txt"));
        assertThat(to.resolve("sub/blob.bin")).hasSameBinaryContentAs(data.resolve("sub/blob.bin"));
    }

    private static String listedAt(Path plan) {
        CliRunner.Result list = caravan("list", plan.toString());
        assertThat(list.exit()).as(list.toString()).isZero();
        return list.out();
    }

    @Test
    void one_backup_reaches_all_five_destinations_and_restores_identically_from_each() throws Exception {
        Path plan = plan();
        CliRunner.Result now = caravan("now", plan.toString());
        assertThat(now.exit()).as(now.toString()).isZero();
        assertThat(now.out()).contains("destination nas: stored and verified", "destination primary: stored and verified",
                "destination blob: stored and verified", "destination offsite: stored and verified", "destination dr: stored and verified");

        assertThat(listedAt(plan)).contains("nas,primary,blob,offsite,dr");
        for (String d : List.of("nas", "primary", "blob", "offsite", "dr")) {
            assertRestoresIdentically(plan, d);
        }
    }

    @Test
    void a_destination_killed_mid_upload_fails_alone_and_replicate_heals_it() throws Exception {
        byte[] big = new byte[40 * 1024 * 1024];
        new Random(9).nextBytes(big);
        Files.write(data.resolve("sub/big.bin"), big);
        Path plan = plan();
        Path bucket = fx.s3().dataDir().resolve("backups");
        CompletableFuture<CliRunner.Result> now = CompletableFuture.supplyAsync(() -> caravan("now", plan.toString()));
        // the first multipart part written by S3Proxy: the upload is under way
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!uploadStarted(bucket) && !now.isDone() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(now.isDone()).as("the run finished before the S3 upload was seen").isFalse();
        fx.cut(FaultFixture.S3); // the server's cable pulled mid-upload: open connections reset, new ones refused
        CliRunner.Result result = now.get(120, TimeUnit.SECONDS);
        fx.restore(FaultFixture.S3);

        assertThat(result.exit()).as(result.toString()).isEqualTo(1);
        assertThat(result.out()).contains("destination primary: FAILED: ").contains("PARTIAL")
                .contains("destination nas: stored and verified", "destination blob: stored and verified",
                        "destination offsite: stored and verified", "destination dr: stored and verified");
        assertThat(listedAt(plan)).contains("nas,blob,offsite,dr").doesNotContain("primary");
        CliRunner.Result atPrimary = caravan("list", plan.toString(), "--from", "primary", "--json");
        assertThat(atPrimary.out()).contains("\"backups\" : [ ]");

        CliRunner.Result replicate = caravan("replicate", plan.toString());
        assertThat(replicate.exit()).as(replicate.toString()).isZero();
        // the cut may come before the last part (the copy is taken from nas) or after S3 completed the upload and
        // before its answer arrived (the object is there and verifies; only the manifest is written)
        assertThat(replicate.out()).containsPattern("-> primary: (copied 1 objects .* from nas, read back and verified"
                + "|every object was already there and verifies; manifest.json written)");
        CliRunner.Result verify = caravan("verify", plan.toString(), "latest", "--from", "primary");
        assertThat(verify.exit()).as(verify.toString()).isZero();
        assertThat(listedAt(plan)).contains("nas,primary,blob,offsite,dr");
        assertThat(caravan("replicate", plan.toString()).out()).contains("every reachable destination holds every backup");
    }

    private boolean uploadStarted(Path bucket) throws IOException {
        if (!Files.isDirectory(bucket)) {
            return false;
        }
        try (Stream<Path> s = Files.walk(bucket)) {
            return s.anyMatch(p -> Files.isRegularFile(p) && p.toString().contains("/backups/" + run + "/"));
        } catch (java.io.UncheckedIOException gone) {
            return false;
        }
    }

    @Test
    void wrong_credentials_on_one_destination_are_one_sentence_naming_it_and_the_others_hold_the_backup() throws Exception {
        String wrongKey = AzuriteServer.KEY.substring(0, 10) + "AAAA" + AzuriteServer.KEY.substring(14);
        Path plan = plan(wrongKey, "");
        CliRunner.Result now = caravan("now", plan.toString());
        assertThat(now.exit()).as(now.toString()).isEqualTo(1);
        List<String> failed = now.out().lines().filter(l -> l.contains("FAILED")).toList();
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0)).startsWith("  destination blob: FAILED: ")
                .endsWith("azure 'blob': access denied to container 'c-" + run + "' (check connectionString)");
        CliRunner.Result list = caravan("list", plan.toString());
        assertThat(list.exit()).as("list says it could not read one destination").isEqualTo(1);
        assertThat(list.out()).contains("nas,primary,offsite,dr");
        assertThat(list.err()).contains("cannot list app/blob: ").contains("access denied to container 'c-" + run + "'");
    }

    @Test
    void a_corrupted_copy_fails_verify_naming_it_and_restore_falls_back_to_the_next_destination() throws Exception {
        Path plan = plan();
        assertThat(caravan("now", plan.toString()).exit()).isZero();
        Path stored;
        try (Stream<Path> s = Files.walk(tmp.resolve("nas"))) {
            stored = s.filter(p -> p.getFileName().toString().equals("tree.tar.zst")).findFirst().orElseThrow();
        }
        try (RandomAccessFile f = new RandomAccessFile(stored.toFile(), "rw")) {
            f.seek(f.length() / 2);
            int b = f.read();
            f.seek(f.length() / 2);
            f.write(b ^ 0x40);
        }
        CliRunner.Result verify = caravan("verify", plan.toString(), "latest", "--from", "nas");
        assertThat(verify.exit()).as(verify.toString()).isEqualTo(1);
        assertThat(verify.out()).contains("FAILED  app ").contains(" nas tree.tar.zst: nas: ").contains("checksum mismatch");
        assertThat(caravan("verify", plan.toString(), "latest", "--from", "primary").exit()).isZero();

        Path to = tmp.resolve("restored-any");
        CliRunner.Result restore = caravan("restore", plan.toString(), "latest", "--to", to.toString());
        assertThat(restore.exit()).as(restore.toString()).isZero();
        assertThat(restore.err()).contains("skipping nas: ").contains("checksum mismatch");
        assertThat(restore.out()).contains("restoring tree from primary");
        assertThat(to.resolve("sub/blob.bin")).hasSameBinaryContentAs(data.resolve("sub/blob.bin"));
    }
}
