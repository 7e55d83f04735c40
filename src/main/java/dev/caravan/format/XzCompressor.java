package dev.caravan.format;

import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.UnsupportedOptionsException;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** xz (LZMA2) through XZ for Java. Single-threaded. */
final class XzCompressor implements Compressor {

    @Override
    public String name() {
        return "xz";
    }

    @Override
    public String extension() {
        return "xz";
    }

    @Override
    public int defaultLevel() {
        return 6;
    }

    @Override
    public int minLevel() {
        return 0;
    }

    @Override
    public int maxLevel() {
        return 9;
    }

    @Override
    public OutputStream compress(OutputStream out, int level, int threads) throws IOException {
        checkLevel(level);
        LZMA2Options options;
        try {
            options = new LZMA2Options(level);
        } catch (UnsupportedOptionsException e) {
            throw new IllegalArgumentException("xz: " + e.getMessage(), e);
        }
        return new BufferedOutputStream(new XZOutputStream(out, options), Compressors.BUFFER);
    }

    @Override
    public InputStream decompress(InputStream in) throws IOException {
        XZInputStream xz = new XZInputStream(new BufferedInputStream(in, Compressors.BUFFER));
        return new BufferedInputStream(xz, Compressors.BUFFER);
    }

    @Override
    public String toolVersion() {
        return Compressors.libraryVersion("xz-java", XZOutputStream.class);
    }
}
