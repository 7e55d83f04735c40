package dev.caravan.format;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Content-defined chunking with FastCDC (Xia et al., USENIX ATC 2016: a gear rolling hash with
 * normalized chunking), as an {@link OutputStream}: write a stream into it and it hands each chunk,
 * in order, to a {@link Sink}. A cut depends only on the bytes just before it, so an insertion or a
 * change moves the cuts near it only, and the chunks of the unchanged parts come out the same
 * every run: what deduplication needs.
 *
 * <p>Hand-written because no Java FastCDC library resolves from the reachable Maven mirror (and
 * neither ~/.m2 nor the package lists hold one); it is about 100 lines and is tested by
 * {@code FastCdcTest} (sizes within bounds, cuts that resynchronise after an insertion, the same
 * cuts whatever the write sizes). The gear table is fixed (SplitMix64 from a constant seed), so
 * cuts never change between versions; changing it would only cost one run of re-uploads.
 *
 * <p>Memory: one buffer of {@code max} bytes (a chunk is cut at most at {@code max}); each chunk is
 * handed over from that buffer and not kept.
 */
public final class FastCdc extends OutputStream {
    /** Defaults: 128 KiB minimum, 512 KiB average, 2 MiB maximum. */
    public static final int MIN = 128 << 10;
    public static final int AVG = 512 << 10;
    public static final int MAX = 2 << 20;

    private static final long[] GEAR = gear();

    /** Receives each chunk; {@code buf[off, off+len)} is only valid during the call. */
    @FunctionalInterface
    public interface Sink {
        void chunk(byte[] buf, int off, int len) throws IOException;
    }

    private final int min;
    private final int avg;
    private final int max;
    private final long maskS;
    private final long maskL;
    private final Sink sink;
    private final byte[] buf;
    private int fill;
    private boolean closed;

    public FastCdc(Sink sink) {
        this(sink, MIN, AVG, MAX);
    }

    /** {@code avg} must be a power of two with {@code min < avg < max}. */
    public FastCdc(Sink sink, int min, int avg, int max) {
        if (Integer.bitCount(avg) != 1 || min <= 0 || min >= avg || avg >= max) {
            throw new IllegalArgumentException("chunk sizes: need 0 < min < avg < max and avg a power of two");
        }
        this.sink = sink;
        this.min = min;
        this.avg = avg;
        this.max = max;
        int bits = Integer.numberOfTrailingZeros(avg);
        // normalized chunking (level 2): harder to cut before the average, easier after it
        this.maskS = mask(bits + 2);
        this.maskL = mask(bits - 2);
        this.buf = new byte[max];
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = Math.min(len, max - fill);
            System.arraycopy(b, off, buf, fill, n);
            fill += n;
            off += n;
            len -= n;
            cutWhileFull();
        }
    }

    /** Hands over every chunk the buffer can cut now; keeps the tail, which may still grow. */
    private void cutWhileFull() throws IOException {
        while (fill == max) {
            int cut = cut(buf, 0, fill);
            sink.chunk(buf, 0, cut);
            System.arraycopy(buf, cut, buf, 0, fill - cut);
            fill -= cut;
        }
    }

    /** The end of the first chunk of {@code data[0, len)}, as FastCDC's NormalizedChunking finds it. */
    int cut(byte[] data, int start, int len) {
        if (len <= min) {
            return len;
        }
        int n = Math.min(len, max);
        int normal = Math.min(n, avg);
        long h = 0;
        int i = min;
        for (; i < normal; i++) {
            h = (h << 1) + GEAR[data[start + i] & 0xff];
            if ((h & maskS) == 0) {
                return i + 1;
            }
        }
        for (; i < n; i++) {
            h = (h << 1) + GEAR[data[start + i] & 0xff];
            if ((h & maskL) == 0) {
                return i + 1;
            }
        }
        return n;
    }

    /** Cuts and hands over what is left; the stream ends here. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        int at = 0;
        while (at < fill) {
            int cut = cut(buf, at, fill - at);
            sink.chunk(buf, at, cut);
            at += cut;
        }
        fill = 0;
        Arrays.fill(buf, (byte) 0);
    }

    /** A mask of {@code bits} one-bits spread over the high 48 bits, as the FastCDC paper spaces them. */
    private static long mask(int bits) {
        long m = 0;
        int placed = 0;
        for (int pos = 63; placed < bits && pos >= 16; pos -= 2) {
            m |= 1L << pos;
            placed++;
        }
        for (int pos = 62; placed < bits && pos >= 16; pos -= 2) {
            m |= 1L << pos;
            placed++;
        }
        return m;
    }

    private static long[] gear() {
        long[] g = new long[256];
        long x = 0x43617261_76616e31L; // "Caravan1"
        for (int i = 0; i < 256; i++) {
            x += 0x9E3779B97F4A7C15L;
            long z = x;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            g[i] = z ^ (z >>> 31);
        }
        return g;
    }
}
