package dev.caravan.destination.azure;

import dev.caravan.destination.Destination;
import dev.caravan.destination.DestinationContract;
import dev.caravan.model.DestinationSpec;
import dev.caravan.model.Options;
import dev.caravan.model.Secret;
import dev.caravan.testing.ServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Against Azurite (npm, listed in .ci/npm-packages.txt) run as a process on loopback. */
class AzureDestinationTest extends DestinationContract {
    /** Azurite's well-known development account and key. */
    private static final String ACCOUNT = "devstoreaccount1";
    private static final String KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static ServerProcess azurite;
    private static String blobEndpoint;

    @BeforeAll
    static void startAzurite() throws Exception {
        Path dir = Files.createTempDirectory("caravan-azurite");
        int port = ServerProcess.freePort();
        blobEndpoint = "http://127.0.0.1:" + port + "/" + ACCOUNT;
        azurite = ServerProcess.start("azurite", List.of(azuriteBlob(), "--blobHost", "127.0.0.1", "--blobPort", String.valueOf(port),
                        "--location", dir.resolve("data").toString(), "--silent", "--loose", "--skipApiVersionCheck"),
                dir, dir.resolve("azurite.log"), port, Duration.ofSeconds(60));
    }

    /** azurite-blob from PATH, or from .ci/node where the CI script installs .ci/npm-packages.txt. */
    private static String azuriteBlob() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, "azurite-blob");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        Path local = Path.of(".ci/node/node_modules/.bin/azurite-blob").toAbsolutePath();
        assertThat(local).as("azurite-blob on PATH or in .ci/node (npm install --prefix .ci/node azurite)").isExecutable();
        return local.toString();
    }

    @AfterAll
    static void stopAzurite() {
        if (azurite != null) {
            azurite.close();
        }
    }

    private static String connectionString(String key) {
        return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + key + ";BlobEndpoint=" + blobEndpoint + ";";
    }

    private static Destination azure(String name, String container, Object... more) {
        Options base = Options.of("container", container, "prefix", "t" + PREFIXES.incrementAndGet() + "/",
                "connectionString", new Secret(connectionString(KEY), "test"));
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>(base.asMap());
        for (int i = 0; i < more.length; i += 2) {
            m.put((String) more[i], more[i + 1]);
        }
        return new AzureDestinationKind().create(new DestinationSpec("azure", name, 1, new Options(m)));
    }

    @Override
    protected Destination newDestination() {
        return azure("secondary", "backups");
    }

    /** A block staged (Put Block), its block list never committed. */
    @Override
    protected boolean leavePartialWrite(Destination d, String key) {
        String prefix = d.describe().substring(d.describe().indexOf("/backups/") + "/backups/".length());
        var blob = new com.azure.storage.blob.BlobServiceClientBuilder().connectionString(connectionString(KEY)).buildClient()
                .getBlobContainerClient("backups").getBlobClient(prefix + key).getBlockBlobClient();
        byte[] block = new byte[1000];
        blob.stageBlock(java.util.Base64.getEncoder().encodeToString("block-0001".getBytes()),
                new java.io.ByteArrayInputStream(block), block.length);
        return true;
    }

    @Test
    void wrong_account_key_is_one_sentence_naming_the_destination_and_container() throws Exception {
        String wrongKey = KEY.substring(0, 10) + "AAAA" + KEY.substring(14);
        assertRefusedWith(azure("secondary", "backups", "connectionString", new Secret(connectionString(wrongKey), "test")),
                "azure 'secondary': access denied to container 'backups' (check connectionString)");
    }

    @Test
    void account_and_key_work_as_well_as_a_connection_string() throws Exception {
        Destination d = new AzureDestinationKind().create(new DestinationSpec("azure", "secondary", 1, Options.of(
                "container", "by-key", "account", ACCOUNT, "accountKey", new Secret(KEY, "test"), "endpoint", blobEndpoint)));
        Path f = randomFile("k.bin", 1000, 7);
        publisher.save(publisher.register("p", d), "p/1/k.bin", f);
        try (InputStream in = d.open("p/1/k.bin")) {
            assertThat(sha256(in)).isEqualTo(sha256(Files.newInputStream(f)));
        }
    }

    @Test
    void a_missing_container_is_created_on_first_upload_unless_turned_off() throws Exception {
        Destination created = azure("secondary", "fresh-container");
        assertThat(created.list("")).isEmpty();
        publisher.save(publisher.register("p", created), "p/1/a", randomFile("a", 10, 8));
        assertThat(created.list("p/")).hasSize(1);

        Destination refused = azure("tertiary", "never-created", "createContainer", false);
        assertThatThrownBy(() -> publisher.save(publisher.register("p", refused), "p/1/a", randomFile("b", 10, 9)))
                .hasMessage("azure 'tertiary': container 'never-created' does not exist (create it, or set createContainer true)");
    }

    @Test
    void an_object_larger_than_a_block_is_committed_whole() throws Exception {
        Destination d = newDestination();
        Path f = randomFile("blocks.bin", (int) (2.5 * AzureDestination.BLOCK_SIZE), 10);
        publisher.save(publisher.register("p", d), "p/1/blocks.bin", f);
        assertThat(d.list("p/")).containsExactly(new Destination.StoredObject("p/1/blocks.bin", Files.size(f)));
        try (InputStream in = d.open("p/1/blocks.bin")) {
            assertThat(sha256(in)).isEqualTo(sha256(Files.newInputStream(f)));
        }
    }

    @Test
    void verify_after_upload_of_a_blob_that_is_not_there_names_the_destination_and_the_object() throws Exception {
        Destination d = newDestination();
        Path f = randomFile("gone.bin", 100, 4);
        assertThat(d.verifyUpload("p/1/gone.bin", f, Files.size(f), sha256(Files.newInputStream(f))))
                .hasValueSatisfying(p -> assertThat(p).startsWith("secondary: cannot read p/1/gone.bin: ").endsWith("no such blob"));
    }
}
