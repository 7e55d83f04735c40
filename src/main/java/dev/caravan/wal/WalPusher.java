package dev.caravan.wal;

import dev.caravan.backup.Layout;
import dev.caravan.backup.WalSegment;
import dev.caravan.format.Compressors;
import dev.caravan.model.Compression;
import dev.caravan.model.Plan;
import dev.caravan.pipeline.Engine;
import dev.caravan.pipeline.Fanout;
import dev.caravan.pipeline.Packer;
import dev.caravan.pipeline.StreamPipe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Ships one WAL file that PostgreSQL's archiver hands over ({@code archive_command}): compress and
 * encrypt it as the plan says into one spool file ({@link Packer}), and store it at every destination of the
 * plan through the same fan-out as backups ({@link Fanout}), which checks each copy. Any failure is reported, so the
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
            StreamPipe.Spooled packed = Packer.of(plan).pack(file, spool);
            // always read back, whatever the plan's verify says: a segment PostgreSQL drops must be good
            return engine.fanout().store(key(segment), packed, engine.targets(plan), Fanout.Options.VERIFIED);
        } finally {
            Files.deleteIfExists(spool);
        }
    }
}
