package dev.caravan.wal;

import dev.caravan.backup.Layout;
import dev.caravan.backup.WalSegment;
import dev.caravan.destination.Destination;
import dev.caravan.format.Age;
import dev.caravan.format.Compressor;
import dev.caravan.format.Compressors;
import dev.caravan.io.Sha256;
import dev.caravan.model.Compression;
import dev.caravan.model.Plan;
import dev.caravan.pipeline.Engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ships one WAL file that PostgreSQL's archiver hands over ({@code archive_command}): compress and
 * encrypt it as the plan says into one spool file, publish it to every destination of the plan through
 * the same routes as backups, read each copy back and compare SHA-256. Any failure is reported, so the
 * command exits non-zero and PostgreSQL keeps the segment and retries: no segment is lost.
 */
public final class WalPusher {
    private final Engine engine;
    private final Plan plan;
    private final String source;

    public WalPusher(Engine engine, Plan plan, String source) {
        this.engine = engine;
        this.plan = plan;
        this.source = source;
    }

    /** The stored key of a segment. */
    public String key(String segment) {
        Compression c = plan.compression();
        return Layout.walObject(plan.name(), source, segment, Compressors.get(c.algorithm()).extension(), plan.encryption().enabled());
    }

    /** Pushes {@code file} as {@code segment}; returns the destinations that failed, with the reason (empty: all good). */
    public Map<String, String> push(Path file, String segment) throws IOException {
        if (!WalSegment.isName(segment)) {
            throw new IllegalArgumentException("'" + segment + "' is not a WAL file name (archive_command passes it as %f)");
        }
        Files.createDirectories(engine.settings().workDir());
        Path spool = Files.createTempFile(engine.settings().workDir(), "wal-" + segment + "-", ".part");
        try {
            write(file, spool);
            String sha;
            try (InputStream in = Files.newInputStream(spool)) {
                sha = Sha256.of(in).sha256();
            }
            String key = key(segment);
            Map<String, String> failed = new LinkedHashMap<>();
            for (Map.Entry<String, Destination> d : engine.destinations(plan).entrySet()) {
                try {
                    engine.publisher().save(engine.publishingRoute(plan, d.getKey()), key, spool);
                    String back;
                    try (InputStream in = d.getValue().open(key)) {
                        back = Sha256.of(in).sha256();
                    }
                    if (!back.equals(sha)) {
                        failed.put(d.getKey(), "read back " + key + " with SHA-256 " + back + ", expected " + sha);
                    }
                } catch (IOException | RuntimeException e) {
                    failed.put(d.getKey(), e.getMessage() != null ? e.getMessage() : e.toString());
                }
            }
            return failed;
        } finally {
            Files.deleteIfExists(spool);
        }
    }

    private void write(Path file, Path spool) throws IOException {
        Compression c = plan.compression();
        Compressor compressor = Compressors.get(c.algorithm());
        try (OutputStream raw = Files.newOutputStream(spool)) {
            OutputStream encrypted = plan.encryption().enabled() ? Age.encrypt(raw, plan.encryption()) : raw;
            try (OutputStream out = compressor.compress(encrypted, c.level(), c.threads())) {
                Files.copy(file, out); // closing the compressor closes the age stream and the file under it
            }
        }
    }
}
