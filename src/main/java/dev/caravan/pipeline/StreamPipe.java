package dev.caravan.pipeline;

import dev.caravan.io.CountingOutputStream;
import dev.caravan.io.HandoffOutputStream;
import dev.caravan.io.Sha256;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The stream one source's dump flows through: dump -> stages (compress, encrypt) -> SHA-256 ->
 * spool file. Stages are added in pipeline order by the route's steps and run in one pass when
 * {@link #spool} is called; nothing is held in memory beyond the stages' own bounded buffers.
 */
public final class StreamPipe {
    /** Something that writes a dump to a stream (a source). */
    @FunctionalInterface
    public interface Producer {
        void writeTo(OutputStream out) throws IOException;
    }

    /** A stage wraps the stream below it; closing the wrapper finishes the stage and closes what it wraps. */
    @FunctionalInterface
    public interface Stage {
        OutputStream wrap(OutputStream downstream) throws IOException;
    }

    private final Producer producer;
    private final List<Stage> stages = new ArrayList<>();
    private final LongAdder dumpBytes = new LongAdder();

    public StreamPipe(Producer producer) {
        this.producer = producer;
    }

    public StreamPipe then(Stage stage) {
        stages.add(stage);
        return this;
    }

    /** Bytes the dump has written so far (for progress). */
    public LongAdder dumpCounter() {
        return dumpBytes;
    }

    /** Runs the dump through every stage into {@code file}; returns what was stored. */
    public Spooled spool(Path file) throws IOException {
        MessageDigest md = Sha256.digest();
        CountingOutputStream stored;
        try (OutputStream fileOut = Files.newOutputStream(file)) {
            stored = new CountingOutputStream(new DigestOutputStream(new BufferedOutputStream(fileOut, 1 << 17), md));
            OutputStream top = stored;
            for (int i = stages.size() - 1; i >= 0; i--) {
                top = stages.get(i).wrap(top);
                if (i == stages.size() - 1 && stages.size() > 1) {
                    // the last stage (encryption) with the checksum and the file write runs on its own
                    // thread, so that it and the dump + compression above it use two cores
                    top = new HandoffOutputStream(top, "caravan-pipe", 8, 1 << 20);
                }
            }
            try (OutputStream head = new CountingOutputStream(top, dumpBytes)) {
                producer.writeTo(head);
            }
        }
        return new Spooled(file, stored.count(), Sha256.hex(md), dumpBytes.sum());
    }

    /** Runs the dump through every stage into {@code out} (no spool, no checksum), then closes it. */
    public void writeTo(OutputStream out) throws IOException {
        OutputStream top = out;
        for (int i = stages.size() - 1; i >= 0; i--) {
            top = stages.get(i).wrap(top);
        }
        try (OutputStream head = new CountingOutputStream(top, dumpBytes)) {
            producer.writeTo(head);
        }
    }

    /** An existing file as a spooled object: its size and SHA-256, read once. */
    public static Spooled measure(Path file) throws IOException {
        try (java.io.InputStream in = Files.newInputStream(file)) {
            Sha256.Result r = Sha256.of(in);
            return new Spooled(file, r.bytes(), r.sha256(), r.bytes());
        }
    }

    /** A finished object on local disk, ready to publish. */
    public record Spooled(Path file, long bytes, String sha256, long dumpBytes) {
    }
}
