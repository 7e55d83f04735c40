package dev.caravan.format;

import java.io.InputStream;
import java.io.OutputStream;

/** No compression: the streams pass through untouched; the level is ignored. */
final class NoCompressor implements Compressor {

    @Override
    public String name() {
        return "none";
    }

    @Override
    public String extension() {
        return "";
    }

    @Override
    public int defaultLevel() {
        return 0;
    }

    @Override
    public int minLevel() {
        return 0;
    }

    @Override
    public int maxLevel() {
        return 0;
    }

    @Override
    public OutputStream compress(OutputStream out, int level, int threads) {
        // any level is accepted and means nothing: a plan that says compress 'none' needs no level
        return out;
    }

    @Override
    public InputStream decompress(InputStream in) {
        return in;
    }

    @Override
    public String toolVersion() {
        return "none";
    }
}
