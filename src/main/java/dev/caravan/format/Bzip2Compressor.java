package dev.caravan.format;

import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** bzip2 through Commons Compress; the level is the block size in 100 kB. Single-threaded. */
final class Bzip2Compressor implements Compressor {

    @Override
    public String name() {
        return "bzip2";
    }

    @Override
    public String extension() {
        return "bz2";
    }

    @Override
    public int defaultLevel() {
        return 9;
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
        BZip2CompressorOutputStream bz = new BZip2CompressorOutputStream(new BufferedOutputStream(out, Compressors.BUFFER), level);
        return new BufferedOutputStream(bz, Compressors.BUFFER);
    }

    @Override
    public InputStream decompress(InputStream in) throws IOException {
        // concatenated streams too, as pbzip2 and lbzip2 write them
        BZip2CompressorInputStream bz = new BZip2CompressorInputStream(new BufferedInputStream(in, Compressors.BUFFER), true);
        return new BufferedInputStream(bz, Compressors.BUFFER);
    }

    @Override
    public String toolVersion() {
        return Compressors.libraryVersion("commons-compress", BZip2CompressorOutputStream.class);
    }
}
