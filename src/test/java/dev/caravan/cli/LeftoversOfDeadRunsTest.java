package dev.caravan.cli;

import dev.caravan.destination.local.LocalDestination;
import dev.caravan.testing.FaultFixture;
import dev.caravan.testing.MinaSftpServer;
import dev.caravan.testing.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What runs that died leave at a destination, against a directory, S3Proxy and MINA SSHD: a folder holding
 * only a partial object ({@code .partial-<object>} of the file and sftp producers; an incomplete
 * multipart upload on S3) and a folder with objects but no manifest. {@code status} shows them, and
 * {@code prune} and the next run's retention remove them, while the good backup stays. The servers are the
 * suite's shared {@link FaultFixture}.
 */
class LeftoversOfDeadRunsTest {
    private static final String PARTIAL_ONLY = "20200101T000000Z";
    private static final String NO_MANIFEST = "20200102T000000Z";
    private static FaultFixture fx;
    private static MinaSftpServer sftp;
    private static S3Client client;

    @TempDir
    Path tmp;
    Path plan;
    Path nas;
    String run;

    @BeforeAll
    static void startServers() throws Exception {
        fx = FaultFixture.get();
        sftp = fx.sftp();
        client = S3Client.builder().region(Region.US_EAST_1).endpointOverride(URI.create(fx.s3().endpoint())).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(S3ProxyServer.IDENTITY, S3ProxyServer.CREDENTIAL)))
                .build();
    }

    @AfterAll
    static void closeClient() {
        if (client != null) {
            client.close();
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        System.setProperty("caravan.state.dir", tmp.resolve("state").toString());
        System.setProperty("caravan.work.dir", tmp.resolve("work").toString());
        run = FaultFixture.newRun("l");
        Path data = tmp.resolve("data");
        Files.createDirectories(data);
        byte[] random = new byte[50_000];
        new Random(11).nextBytes(random);
        Files.write(data.resolve("blob.bin"), random);
        nas = tmp.resolve("nas");
        plan = tmp.resolve("plan.groovy");
        Files.writeString(plan, """
                backup('app') {
                    sources { files('tree') { path '%s' } }
                    destinations {
                        local('nas')    { path '%s' }
                        s3('cloud')     { bucket 'backups'; region 'us-east-1'; endpoint '%s'; prefix '%s/'
                                          accessKey '%s'; secretKey '%s' }
                        sftp('offsite') { host '127.0.0.1'; port %d; user '%s'; password '%s'; path '/backups/%s'
                                          knownHosts '%s' }
                    }
                    retention { keepLast 5 }
                }
                """.formatted(data, nas, fx.s3Endpoint(), run, S3ProxyServer.IDENTITY, S3ProxyServer.CREDENTIAL,
                fx.sftpPort(), MinaSftpServer.USER, MinaSftpServer.PASSWORD, run, fx.sftpKnownHosts()));
        CliRunner.Result now = CliRunner.run("now", plan.toString());
        assertThat(now.exit()).as(now.toString()).isZero();
    }

    @AfterEach
    void tearDown() {
        System.clearProperty("caravan.state.dir");
        System.clearProperty("caravan.work.dir");
    }

    /** What two killed runs would have left at each destination. */
    private void leaveLeftovers() throws IOException {
        String partial = LocalDestination.TEMP_PREFIX + "tree.tar.zst";
        Path offsite = sftp.root().resolve("backups").resolve(run);
        for (Path root : List.of(nas, offsite)) {
            write(root.resolve("app").resolve(PARTIAL_ONLY).resolve(partial), 3000);
            write(root.resolve("app").resolve(NO_MANIFEST).resolve("tree.tar.zst"), 2000);
        }
        String cloud = run + "/app/";
        String upload = client.createMultipartUpload(r -> r.bucket("backups").key(cloud + PARTIAL_ONLY + "/tree.tar.zst")).uploadId();
        client.uploadPart(r -> r.bucket("backups").key(cloud + PARTIAL_ONLY + "/tree.tar.zst").uploadId(upload).partNumber(1),
                RequestBody.fromBytes(new byte[6 << 20]));
        client.putObject(r -> r.bucket("backups").key(cloud + NO_MANIFEST + "/tree.tar.zst"), RequestBody.fromBytes(new byte[2000]));
    }

    private static void write(Path file, int bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[bytes]);
    }

    private void assertStatusShowsLeftovers() {
        CliRunner.Result status = CliRunner.run("status", plan.toString(), "--json");
        assertThat(status.exit()).as(status.toString()).isZero();
        for (String d : List.of("nas", "cloud", "offsite")) {
            String row = row(status.out(), d);
            assertThat(row).as(d).contains("\"incomplete\" : 2", "\"id\" : \"" + PARTIAL_ONLY + "\"", "\"id\" : \"" + NO_MANIFEST + "\"",
                    "app/" + PARTIAL_ONLY + "/" + (d.equals("cloud") ? "" : LocalDestination.TEMP_PREFIX) + "tree.tar.zst",
                    "app/" + NO_MANIFEST + "/tree.tar.zst", "\"backups\" : 1");
        }
        CliRunner.Result text = CliRunner.run("status", plan.toString());
        assertThat(text.out().lines().filter(l -> l.contains("2 incomplete (prune removes): " + PARTIAL_ONLY + ", " + NO_MANIFEST)))
                .hasSize(3);
    }

    /** The JSON object of one destination's row (rows are printed in plan order). */
    private static String row(String json, String destination) {
        int start = json.indexOf("\"destination\" : \"" + destination + "\"");
        assertThat(start).as(json).isPositive();
        int end = json.indexOf("\"destination\" : ", start + 20);
        return json.substring(start, end < 0 ? json.length() : end);
    }

    private void assertLeftoversGone() throws IOException {
        Path offsite = sftp.root().resolve("backups").resolve(run);
        for (Path root : List.of(nas, offsite)) {
            assertThat(root.resolve("app").resolve(PARTIAL_ONLY)).doesNotExist();
            assertThat(root.resolve("app").resolve(NO_MANIFEST)).doesNotExist();
        }
        assertThat(client.listMultipartUploads(r -> r.bucket("backups").prefix(run + "/")).uploads()).isEmpty();
        assertThat(client.listObjectsV2(r -> r.bucket("backups").prefix(run + "/app/" + NO_MANIFEST)).contents()).isEmpty();
        CliRunner.Result status = CliRunner.run("status", plan.toString(), "--json");
        assertThat(status.out()).contains("\"incomplete\" : 0").doesNotContain("\"incomplete\" : 2").doesNotContain(PARTIAL_ONLY);
        CliRunner.Result verify = CliRunner.run("verify", plan.toString(), "all");
        assertThat(verify.exit()).as(verify.toString()).isZero();
    }

    @Test
    void status_shows_leftovers_at_every_destination_and_prune_removes_them() throws Exception {
        leaveLeftovers();
        assertStatusShowsLeftovers();

        CliRunner.Result dry = CliRunner.run("prune", plan.toString(), "--dry-run");
        assertThat(dry.exit()).as(dry.toString()).isZero();
        assertThat(dry.out()).contains("nas: would remove incomplete backup " + PARTIAL_ONLY + " (1 partial object, no manifest)",
                "nas: would remove incomplete backup " + NO_MANIFEST + " (1 object, no manifest)",
                "cloud: would remove incomplete backup " + PARTIAL_ONLY + " (1 partial object, no manifest)",
                "offsite: would remove incomplete backup " + PARTIAL_ONLY + " (1 partial object, no manifest)");
        assertStatusShowsLeftovers();

        CliRunner.Result prune = CliRunner.run("prune", plan.toString());
        assertThat(prune.exit()).as(prune.toString()).isZero();
        assertThat(prune.out()).contains("nas: removed incomplete backup " + PARTIAL_ONLY, "cloud: removed incomplete backup " + NO_MANIFEST,
                "offsite: removed incomplete backup " + PARTIAL_ONLY);
        assertLeftoversGone();
    }

    @Test
    void the_next_run_removes_them_and_keeps_every_good_backup() throws Exception {
        leaveLeftovers();
        assertStatusShowsLeftovers();

        CliRunner.Result now = CliRunner.run("now", plan.toString());
        assertThat(now.exit()).as(now.toString()).isZero();
        assertThat(now.out()).contains("retention nas: removed incomplete backup " + PARTIAL_ONLY,
                "retention cloud: removed incomplete backup " + PARTIAL_ONLY, "retention offsite: removed incomplete backup " + NO_MANIFEST);
        assertLeftoversGone();
        CliRunner.Result list = CliRunner.run("list", plan.toString(), "--json");
        assertThat(list.out().split("\"id\" :", -1)).hasSize(3);
    }
}
