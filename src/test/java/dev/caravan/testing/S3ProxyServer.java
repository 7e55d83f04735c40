package dev.caravan.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * S3Proxy (filesystem backend) as a process on loopback, as in S3DestinationTest, but restartable on the
 * same port and data dir, so a test can stop it mid-run and bring it back. A bucket is a directory
 * under {@link #dataDir()}.
 */
public final class S3ProxyServer implements AutoCloseable {
    public static final String IDENTITY = "caravan";
    public static final String CREDENTIAL = "caravan-secret";

    private final Path dir;
    private final int port;
    private ServerProcess process;

    private S3ProxyServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    public static S3ProxyServer start(Path dir, String... buckets) throws IOException {
        S3ProxyServer s = new S3ProxyServer(dir, ServerProcess.freePort());
        for (String b : buckets) {
            Files.createDirectories(s.dataDir().resolve(b));
        }
        s.start();
        return s;
    }

    public void start() throws IOException {
        Path jar = Path.of("target/test-servers/s3proxy.jar");
        if (!Files.exists(jar)) {
            throw new IOException("S3Proxy jar missing: " + jar.toAbsolutePath() + " (copied by maven-dependency-plugin in generate-test-resources)");
        }
        Path props = dir.resolve("s3proxy.properties");
        Files.writeString(props, String.join("\n",
                "s3proxy.endpoint=" + endpoint(),
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + IDENTITY,
                "s3proxy.credential=" + CREDENTIAL,
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + dataDir(), ""));
        process = ServerProcess.start("s3proxy", ChildJvm.java("-Xmx256m", "-jar", jar.toAbsolutePath().toString(),
                "--properties", props.toString()), dir, dir.resolve("s3proxy.log"), port, Duration.ofSeconds(60));
    }

    /** Kills the process at once (SIGKILL), as a crash or a pulled cable would. */
    public void kill() throws InterruptedException {
        process.process().destroyForcibly().waitFor();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public Path dataDir() {
        return dir.resolve("data");
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }
}
