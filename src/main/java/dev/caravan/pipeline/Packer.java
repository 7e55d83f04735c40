package dev.caravan.pipeline;

import dev.caravan.backup.Layout;
import dev.caravan.format.Age;
import dev.caravan.format.Compressor;
import dev.caravan.format.Compressors;
import dev.caravan.model.Compression;
import dev.caravan.model.Encryption;
import dev.caravan.model.Plan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Turns a stream into its stored form as a plan says: compress, then age-encrypt, with the SHA-256 of
 * what is stored taken on the way into the spool file ({@link StreamPipe#spool}). The mirror of
 * {@link dev.caravan.backup.Unpacker}; every object Caravan stores (source objects, file indexes, WAL
 * segments) is packed here, then stored by {@link Fanout}.
 */
public final class Packer {
    private final Compression compression;
    private final Encryption encryption;

    public Packer(Compression compression, Encryption encryption) {
        this.compression = compression;
        this.encryption = encryption;
    }

    public static Packer of(Plan plan) {
        return new Packer(plan.compression(), plan.encryption());
    }

    /** The stored object's name for {@code base} written as {@code extension}: {@code tree.tar.zst.age}. */
    public String objectName(String base, String extension) {
        return Layout.objectName(base, extension, compressor().extension(), encryption.enabled());
    }

    /** The compression stage (the route's {@code compress} step). */
    public StreamPipe compress(StreamPipe pipe) {
        Compressor c = compressor();
        return pipe.then(out -> c.compress(out, compression.level(), compression.threads()));
    }

    /** The encryption stage, when the plan encrypts (the route's {@code encrypt} step). */
    public StreamPipe encrypt(StreamPipe pipe) {
        return encryption.enabled() ? pipe.then(out -> Age.encrypt(out, encryption)) : pipe;
    }

    /** A pipe from {@code producer} through both stages. */
    public StreamPipe pipe(StreamPipe.Producer producer) {
        return encrypt(compress(new StreamPipe(producer)));
    }

    /** Packs the plain file {@code plain} into {@code spool}; returns its size and SHA-256. */
    public StreamPipe.Spooled pack(Path plain, Path spool) throws IOException {
        return pipe(out -> Files.copy(plain, out)).spool(spool);
    }

    private Compressor compressor() {
        return Compressors.get(compression.algorithm());
    }
}
