package dev.caravan.format;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * One compression algorithm, as a pair of stream wrappers. Implementations are small stateless
 * classes registered in {@link Compressors}; their output is the algorithm's standard container so
 * the stock command-line tool ({@code zstd -d}, {@code gzip -d}, ...) reads it.
 */
public interface Compressor {

    /** The plan's word for it: {@code zstd}, {@code gzip}, {@code xz}, {@code bzip2} or {@code none}. */
    String name();

    /** File name extension without a dot ({@code zst}, {@code gz}, ...); empty for {@code none}. */
    String extension();

    int defaultLevel();

    int minLevel();

    int maxLevel();

    /**
     * Wraps {@code out} in a compressing stream. Closing the returned stream finishes the compressed
     * stream and closes {@code out}.
     *
     * @param level   between {@link #minLevel()} and {@link #maxLevel()}
     * @param threads worker threads where the algorithm has them (0 = one per core); ignored otherwise
     * @throws IllegalArgumentException if the level is out of range
     */
    OutputStream compress(OutputStream out, int level, int threads) throws IOException;

    /** Wraps {@code in} in a decompressing stream; concatenated streams are read through. */
    InputStream decompress(InputStream in) throws IOException;

    /** The library doing the work and its version, for the manifest, e.g. {@code zstd-jni 1.5.7-4}. */
    String toolVersion();

    /** Fails with a plain sentence unless {@code level} is in range. */
    default void checkLevel(int level) {
        if (level < minLevel() || level > maxLevel()) {
            throw new IllegalArgumentException(name() + ": level " + level + " is out of range "
                    + minLevel() + ".." + maxLevel());
        }
    }
}
