package dev.caravan.format;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** gzip through the JDK's zlib. Single-threaded. */
final class GzipCompressor implements Compressor {

    @Override
    public String name() {
        return "gzip";
    }

    @Override
    public String extension() {
        return "gz";
    }

    @Override
    public int defaultLevel() {
        return 6;
    }

    @Override
    public int minLevel() {
        return 1;
    }

    @Override
    public int maxLevel() {
        return 9;
    }

    @Override
    public OutputStream compress(OutputStream out, int level, int threads) throws IOException {
        checkLevel(level);
        return new LeveledGzipOutputStream(out, level);
    }

    @Override
    public InputStream decompress(InputStream in) throws IOException {
        return new GZIPInputStream(in, Compressors.BUFFER);
    }

    @Override
    public String toolVersion() {
        return "java.util.zip " + Runtime.version().feature();
    }

    /** GZIPOutputStream with a chosen level; the JDK class only exposes its Deflater to subclasses. */
    private static final class LeveledGzipOutputStream extends GZIPOutputStream {
        LeveledGzipOutputStream(OutputStream out, int level) throws IOException {
            super(out, Compressors.BUFFER);
            def.setLevel(level);
        }
    }
}
