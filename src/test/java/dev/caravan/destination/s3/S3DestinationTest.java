package dev.caravan.destination.s3;

import dev.caravan.destination.Destination;
import dev.caravan.destination.DestinationContract;
import dev.caravan.model.DestinationSpec;
import dev.caravan.model.Options;
import dev.caravan.model.Secret;
import dev.caravan.testing.ChildJvm;
import dev.caravan.testing.ServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Against S3Proxy (filesystem backend) run as a process on loopback. */
class S3DestinationTest extends DestinationContract {
    private static final String IDENTITY = "caravan";
    private static final String CREDENTIAL = "caravan-secret";
    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static ServerProcess s3proxy;
    private static String endpoint;

    @BeforeAll
    static void startS3Proxy() throws Exception {
        Path jar = Path.of("target/test-servers/s3proxy.jar");
        assertThat(jar).as("S3Proxy jar, copied by maven-dependency-plugin in generate-test-resources").exists();
        Path dir = Files.createTempDirectory("caravan-s3proxy");
        Files.createDirectories(dir.resolve("data"));
        int port = ServerProcess.freePort();
        endpoint = "http://127.0.0.1:" + port;
        Path props = dir.resolve("s3proxy.properties");
        Files.writeString(props, String.join("\n",
                "s3proxy.endpoint=" + endpoint,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + IDENTITY,
                "s3proxy.credential=" + CREDENTIAL,
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + dir.resolve("data"), ""));
        s3proxy = ServerProcess.start("s3proxy", ChildJvm.java("-Xmx256m", "-jar", jar.toAbsolutePath().toString(), "--properties", props.toString()),
                dir, dir.resolve("s3proxy.log"), port, Duration.ofSeconds(60));
        S3Destination d = s3("setup", "backups", CREDENTIAL, 8);
        d.client().createBucket(r -> r.bucket("backups"));
    }

    @AfterAll
    static void stopS3Proxy() {
        if (s3proxy != null) {
            s3proxy.close();
        }
    }

    private static S3Destination s3(String name, String bucket, String secretKey, int partSizeMib) {
        return (S3Destination) new S3DestinationKind().create(new DestinationSpec("s3", name, 1, Options.of(
                "bucket", bucket, "region", "us-east-1", "endpoint", endpoint,
                "prefix", "t" + PREFIXES.incrementAndGet() + "/",
                "accessKey", new Secret(IDENTITY, "test"), "secretKey", new Secret(secretKey, "test"),
                "partSize", partSizeMib)));
    }

    @Override
    protected Destination newDestination() {
        return s3("primary", "backups", CREDENTIAL, 64);
    }

    /** A multipart upload begun, one part stored, never completed. */
    @Override
    protected boolean leavePartialWrite(Destination d, String key) {
        S3Destination s = (S3Destination) d;
        String upload = s.client().createMultipartUpload(r -> r.bucket("backups").key(s.objectKey(key))).uploadId();
        s.client().uploadPart(r -> r.bucket("backups").key(s.objectKey(key)).uploadId(upload).partNumber(1),
                software.amazon.awssdk.core.sync.RequestBody.fromBytes(new byte[5 << 20]));
        return true;
    }

    @Test
    void wrong_secret_key_is_one_sentence_naming_the_destination_and_bucket() throws Exception {
        assertRefusedWith(s3("primary", "backups", "not-the-secret", 64),
                "s3 'primary': access denied to bucket 'backups' (check accessKey/secretKey)");
    }

    @Test
    void a_missing_bucket_is_named() throws Exception {
        S3Destination d = s3("primary", "no-such-bucket", CREDENTIAL, 64);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> d.list(""))
                .hasMessage("s3 'primary': bucket 'no-such-bucket' does not exist at " + endpoint);
    }

    @Test
    void a_64_mib_object_goes_up_in_parts_and_reads_back_identical() throws Exception {
        S3Destination d = s3("primary", "backups", CREDENTIAL, 8);
        String route = publisher.register("p", d);
        Path big = randomFile("big.bin", 64 * 1024 * 1024, 42);
        publisher.save(route, "p/1/big.tar.zst.age", big);

        assertThat(d.list("p/")).containsExactly(new Destination.StoredObject("p/1/big.tar.zst.age", Files.size(big)));
        // a multipart object's ETag is "<md5 of part md5s>-<number of parts>": 64 MiB in 8 MiB parts
        String etag = d.client().headObject(r -> r.bucket("backups").key(d.objectKey("p/1/big.tar.zst.age"))).eTag();
        assertThat(etag.replace("\"", "")).endsWith("-8");
        try (InputStream in = d.open("p/1/big.tar.zst.age")) {
            assertThat(sha256(in)).isEqualTo(sha256(Files.newInputStream(big)));
        }
    }

    @Test
    void the_service_keeps_the_sha256_caravan_sent_whole_for_a_put_and_composite_for_parts() throws Exception {
        S3Destination d = s3("primary", "backups", CREDENTIAL, 8);
        String route = publisher.register("p", d);
        Path small = randomFile("small.bin", 1024 * 1024, 7);
        Path big = randomFile("big.bin", 20 * 1024 * 1024 + 3, 8);
        publisher.save(route, "p/1/small.bin", small);
        publisher.save(route, "p/1/big.bin", big);

        String smallSha = sha256(Files.newInputStream(small));
        String bigSha = sha256(Files.newInputStream(big));
        String whole = d.client().headObject(r -> r.bucket("backups").key(d.objectKey("p/1/small.bin"))
                .checksumMode(software.amazon.awssdk.services.s3.model.ChecksumMode.ENABLED)).checksumSHA256();
        assertThat(whole).isEqualTo(java.util.Base64.getEncoder().encodeToString(java.util.HexFormat.of().parseHex(smallSha)));
        String composite = d.client().headObject(r -> r.bucket("backups").key(d.objectKey("p/1/big.bin"))
                .checksumMode(software.amazon.awssdk.services.s3.model.ChecksumMode.ENABLED)).checksumSHA256();
        assertThat(composite).endsWith("-3").isEqualTo(PartDigests.expected(big, Files.size(big), bigSha, 8L * 1024 * 1024, composite));
        assertThat(d.verifyUpload("p/1/small.bin", small, Files.size(small), smallSha)).isEmpty();
        assertThat(d.verifyUpload("p/1/big.bin", big, Files.size(big), bigSha)).isEmpty();
    }

    @Test
    void verify_of_a_multipart_upload_uses_the_part_sums_sent_and_reads_the_file_only_when_they_do_not_describe_it() throws Exception {
        S3Destination d = s3("primary", "backups", CREDENTIAL, 5);
        String route = publisher.register("p", d);
        Path big = randomFile("parts.bin", 11 * 1024 * 1024 + 9, 12);
        String sha = sha256(Files.newInputStream(big));
        long size = Files.size(big);
        publisher.save(route, "p/1/parts.bin", big);
        Path moved = big.resolveSibling("parts.moved");
        Files.move(big, moved);

        // the file is gone: only the sums the upload read from it can tell the copy is good
        assertThat(d.verifyUpload("p/1/parts.bin", big, size, sha)).isEmpty();
        // asked again (they are taken once), or for other bytes: the file is read, and here it is missing
        assertThat(d.verifyUpload("p/1/parts.bin", big, size, sha))
                .hasValueSatisfying(p -> assertThat(p).startsWith("primary: cannot check p/1/parts.bin against "));
        publisher.save(route, "p/2/parts.bin", moved);
        String other = "0".repeat(64);
        assertThat(d.verifyUpload("p/2/parts.bin", moved, size, other))
                .hasValueSatisfying(p -> assertThat(p).contains("the local file changed since it was uploaded"));
    }
}
