package dev.caravan.testing;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The shared fixture of the command-line fault tests: S3Proxy, Azurite and MINA SSHD on loopback, each
 * reached through a {@link Cable} a test can pull out ({@link #cut}) and plug back in ({@link #restore}),
 * started once per JVM and reused by every test class (each run of a test writes under a prefix of its
 * own, {@link #newRun}); a plan with a local, an S3, an Azure and an SFTP destination; and the faults
 * done to what is stored: flip a bit, truncate, find the stored file at each destination kind, and a
 * small tmpfs to fill.
 */
public final class FaultFixture {
    /** Destination names in the plan {@link #plan} writes, one per kind. */
    public static final String LOCAL = "nas";
    public static final String S3 = "cloud";
    public static final String AZURE = "blob";
    public static final String SFTP = "offsite";
    public static final List<String> ALL = List.of(LOCAL, S3, AZURE, SFTP);

    private static final AtomicInteger RUNS = new AtomicInteger();
    private static FaultFixture shared;

    private final S3ProxyServer s3;
    private final AzuriteServer azurite;
    private final MinaSftpServer sftp;
    private final Cable s3Cable;
    private final Cable azureCable;
    private final Cable sftpCable;
    private final Path knownHosts;

    private FaultFixture(Path dir) throws Exception {
        s3 = S3ProxyServer.start(dir.resolve("s3"), "backups");
        azurite = AzuriteServer.start(dir.resolve("azurite"));
        sftp = MinaSftpServer.start(dir.resolve("sftp"));
        s3Cable = Cable.to(Integer.parseInt(s3.endpoint().replaceFirst(".*:", "")));
        azureCable = Cable.to(azurite.port());
        sftpCable = Cable.to(sftp.port());
        // the host key as seen through the cable's port
        knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, Files.readString(sftp.knownHosts()).replace("]:" + sftp.port() + " ", "]:" + sftpCable.port() + " "));
    }

    /** The JVM's fixture, started on first use and stopped when the JVM exits. */
    public static synchronized FaultFixture get() throws Exception {
        if (shared == null) {
            FaultFixture f = new FaultFixture(Files.createTempDirectory("caravan-faults"));
            Runtime.getRuntime().addShutdownHook(new Thread(f::close, "caravan-faults-stop"));
            shared = f;
        }
        shared.restoreAll();
        return shared;
    }

    /** A name no other run in this JVM uses (the prefix, container and SFTP folder of one test's backups). */
    public static String newRun(String prefix) {
        return prefix + RUNS.incrementAndGet() + "-" + ProcessHandle.current().pid();
    }

    public S3ProxyServer s3() {
        return s3;
    }

    public MinaSftpServer sftp() {
        return sftp;
    }

    public String s3Endpoint() {
        return "http://127.0.0.1:" + s3Cable.port();
    }

    public String azureConnectionString(String key) {
        return azurite.connectionString(key).replace(":" + azurite.port() + "/", ":" + azureCable.port() + "/");
    }

    public int sftpPort() {
        return sftpCable.port();
    }

    public Path sftpKnownHosts() {
        return knownHosts;
    }

    /** host:port of a destination's server as Caravan reaches it (for the "cannot connect to" sentence). */
    public String hostPort(String destination) {
        return "127.0.0.1:" + cable(destination).port();
    }

    private Cable cable(String destination) {
        return switch (destination) {
            case S3 -> s3Cable;
            case AZURE -> azureCable;
            case SFTP -> sftpCable;
            default -> throw new IllegalArgumentException("no server behind destination " + destination);
        };
    }

    /** Stops the destination's server as its clients see it: connection refused, open connections reset. */
    public void cut(String destination) {
        cable(destination).cut();
    }

    public void restore(String destination) {
        try {
            cable(destination).restore();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void restoreAll() throws IOException {
        for (Cable c : List.of(s3Cable, azureCable, sftpCable)) {
            c.restore();
        }
    }

    /** The options of one plan file: its sources block, extra plan lines, verify after upload, and each destination's secret. */
    public record PlanOptions(String sources, String extra, boolean afterUpload, String s3Secret, String azureKey,
                              String sftpPassword) {
        public static PlanOptions files(Path data) {
            return new PlanOptions("files('tree') { path '" + data + "' }", "", true, S3ProxyServer.CREDENTIAL, AzuriteServer.KEY,
                    MinaSftpServer.PASSWORD);
        }

        public PlanOptions sources(String s) {
            return new PlanOptions(s, extra, afterUpload, s3Secret, azureKey, sftpPassword);
        }

        public PlanOptions extra(String e) {
            return new PlanOptions(sources, e, afterUpload, s3Secret, azureKey, sftpPassword);
        }

        public PlanOptions afterUpload(boolean v) {
            return new PlanOptions(sources, extra, v, s3Secret, azureKey, sftpPassword);
        }

        public PlanOptions s3Secret(String k) {
            return new PlanOptions(sources, extra, afterUpload, k, azureKey, sftpPassword);
        }

        public PlanOptions azureKey(String k) {
            return new PlanOptions(sources, extra, afterUpload, s3Secret, k, sftpPassword);
        }

        public PlanOptions sftpPassword(String p) {
            return new PlanOptions(sources, extra, afterUpload, s3Secret, azureKey, p);
        }
    }

    /**
     * Plan {@code app} with one destination of each server kind: local {@code nas} at {@code nas}, S3 {@code cloud}
     * (prefix {@code <run>/}), Azure {@code blob} (container {@code c-<run>}) and SFTP {@code offsite}
     * ({@code /backups/<run>}), no redelivery (a fault is a fault at once), keepLast 5.
     */
    public String plan(String run, Path nas, PlanOptions o) {
        return """
                backup('app') {
                    sources { %s }
                    destinations {
                        local('nas')    { path '%s' }
                        s3('cloud')     { bucket 'backups'; region 'us-east-1'; endpoint '%s'; prefix '%s/'
                                          accessKey '%s'; secretKey '%s'; retries 0 }
                        azure('blob')   { container 'c-%s'; connectionString '%s'; retries 0 }
                        sftp('offsite') { host '127.0.0.1'; port %d; user '%s'; password '%s'; path '/backups/%s'
                                          knownHosts '%s'; retries 0 }
                    }
                    retention { keepLast 5 }
                    verify { afterUpload %s }
                    %s
                }
                """.formatted(o.sources(), nas, s3Endpoint(), run, S3ProxyServer.IDENTITY, o.s3Secret(), run,
                azureConnectionString(o.azureKey()), sftpPort(), MinaSftpServer.USER, o.sftpPassword(), run, sftpKnownHosts(),
                o.afterUpload(), o.extra());
    }

    /** Where a destination of {@link #plan} keeps {@code app/<id>/<object>} on disk (not for Azure: see {@link #damageBlob}). */
    public Path stored(String destination, String run, Path nas, String id, String object) {
        Path folder = switch (destination) {
            case LOCAL -> nas;
            case S3 -> s3.dataDir().resolve("backups").resolve(run);
            case SFTP -> sftp.root().resolve("backups").resolve(run);
            default -> throw new IllegalArgumentException(destination + " is not a folder on this machine");
        };
        return folder.resolve("app").resolve(id).resolve(object);
    }

    /** Whether a destination of {@link #plan} holds an object whose key contains {@code fragment} (any folder). */
    public boolean holds(String destination, String run, Path nas, String fragment) throws IOException {
        if (destination.equals(AZURE)) {
            return container(run).listBlobs().stream().anyMatch(b -> b.getName().contains(fragment));
        }
        Path folder = stored(destination, run, nas, "x", "x").getParent().getParent();
        if (!Files.isDirectory(folder)) {
            return false;
        }
        try (Stream<Path> s = Files.walk(folder)) {
            return s.anyMatch(p -> Files.isRegularFile(p) && folder.relativize(p).toString().contains(fragment));
        }
    }

    private BlobContainerClient container(String run) {
        return new BlobServiceClientBuilder().connectionString(azurite.connectionString(AzuriteServer.KEY))
                .buildClient().getBlobContainerClient("c-" + run);
    }

    /** The one stored file named {@code object} under {@code dir} (whatever the backup's id). */
    public static Path find(Path dir, String object) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.getFileName().toString().equals(object)).findFirst()
                    .orElseThrow(() -> new IOException("no " + object + " under " + dir));
        }
    }

    /** Inverts one bit in the middle of the file. */
    public static void flipBit(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            long at = f.length() / 2;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x10);
        }
    }

    /** Cuts the file to half its length. */
    public static void truncate(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
    }

    /** Damages the blob {@code key} ({@code app/<id>/<object>}) in the run's Azure container through the blob API: a flipped bit, or cut to half. */
    public void damageBlob(String run, String key, boolean truncate) {
        BlobContainerClient c = container(run);
        Optional<BlobItem> item = c.listBlobs().stream().filter(b -> b.getName().endsWith(key)).findFirst();
        var blob = c.getBlobClient(item.orElseThrow(() -> new IllegalStateException("no blob " + key + " in c-" + run)).getName());
        byte[] bytes = blob.downloadContent().toBytes();
        byte[] damaged;
        if (truncate) {
            damaged = java.util.Arrays.copyOf(bytes, bytes.length / 2);
        } else {
            damaged = bytes.clone();
            damaged[bytes.length / 2] ^= 0x10;
        }
        blob.upload(new ByteArrayInputStream(damaged), damaged.length, true);
    }

    /** Mounts a tmpfs of {@code megabytes} at {@code dir} (the suite runs as root, as DiskFullTest). */
    public static void mountTmpfs(Path dir, int megabytes) throws Exception {
        Files.createDirectories(dir);
        sh("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m", "tmpfs", dir.toString());
    }

    /**
     * Unmounts {@code dir}; when something still holds a file there, detaches it lazily (so one leak does not
     * wedge the next test) and returns what this JVM still holds open under it; empty when the unmount was clean.
     */
    public static List<String> unmount(Path dir) throws Exception {
        try {
            sh("umount", dir.toString());
        } catch (IOException busy) {
            // known: the aws2-s3 producer leaves the FileInputStream of every object it uploads open (docs/reliability.md)
            List<String> held = new java.util.ArrayList<>();
            try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
                for (Path fd : fds.toList()) {
                    try {
                        Path target = Files.readSymbolicLink(fd);
                        if (target.startsWith(dir)) {
                            held.add(target.toString());
                        }
                    } catch (IOException gone) {
                        // closed meanwhile
                    }
                }
            }
            sh("umount", "-l", dir.toString());
            return held.isEmpty() ? List.of("(busy, not held by this JVM)") : held;
        }
        return List.of();
    }

    private static void sh(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }

    private void close() {
        for (AutoCloseable c : new AutoCloseable[] {s3Cable, azureCable, sftpCable, s3, azurite, sftp}) {
            try {
                c.close();
            } catch (Exception ignored) {
                // the JVM is going away
            }
        }
    }
}
