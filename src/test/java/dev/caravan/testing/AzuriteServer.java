package dev.caravan.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Azurite's blob service as a process on loopback, as in AzureDestinationTest, with its development account. */
public final class AzuriteServer implements AutoCloseable {
    public static final String ACCOUNT = "devstoreaccount1";
    /** Azurite's well-known development key. */
    public static final String KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private final ServerProcess process;
    private final int port;

    private AzuriteServer(ServerProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    public static AzuriteServer start(Path dir) throws IOException {
        int port = ServerProcess.freePort();
        ServerProcess p = ServerProcess.start("azurite", List.of(azuriteBlob(), "--blobHost", "127.0.0.1", "--blobPort",
                        String.valueOf(port), "--location", dir.resolve("data").toString(), "--silent", "--loose", "--skipApiVersionCheck"),
                dir, dir.resolve("azurite.log"), port, Duration.ofSeconds(60));
        return new AzuriteServer(p, port);
    }

    /** azurite-blob from PATH, or from .ci/node where the CI script installs .ci/npm-packages.txt. */
    private static String azuriteBlob() throws IOException {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d, "azurite-blob");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        Path local = Path.of(".ci/node/node_modules/.bin/azurite-blob").toAbsolutePath();
        if (!Files.isExecutable(local)) {
            throw new IOException("azurite-blob is neither on PATH nor in .ci/node (npm install --prefix .ci/node azurite)");
        }
        return local.toString();
    }

    public int port() {
        return port;
    }

    public String connectionString(String key) {
        return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + key
                + ";BlobEndpoint=http://127.0.0.1:" + port + "/" + ACCOUNT + ";";
    }

    @Override
    public void close() {
        process.close();
    }
}
