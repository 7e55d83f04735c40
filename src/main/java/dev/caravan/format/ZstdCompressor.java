package dev.caravan.format;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Zstandard through zstd-jni (the reference C library), multi-threaded like {@code zstd -T}. */
final class ZstdCompressor implements Compressor {

    @Override
    public String name() {
        return "zstd";
    }

    @Override
    public String extension() {
        return "zst";
    }

    @Override
    public int defaultLevel() {
        return 3;
    }

    @Override
    public int minLevel() {
        return 1;
    }

    @Override
    public int maxLevel() {
        return 22;
    }

    @Override
    public OutputStream compress(OutputStream out, int level, int threads) throws IOException {
        checkLevel(level);
        ZstdOutputStreamNoFinalizer z = new ZstdOutputStreamNoFinalizer(out, level);
        z.setWorkers(threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
        // batch small writes so each JNI call hands zstd a large block
        return new BufferedOutputStream(z, Compressors.BUFFER);
    }

    @Override
    public InputStream decompress(InputStream in) throws IOException {
        return new BufferedInputStream(new ZstdInputStreamNoFinalizer(in), Compressors.BUFFER);
    }

    @Override
    public String toolVersion() {
        return Compressors.libraryVersion("zstd-jni", ZstdOutputStreamNoFinalizer.class);
    }
}
