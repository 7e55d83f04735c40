package dev.caravan.io;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.LongAdder;

/** Counts the bytes that pass, into a counter others may read while the stream is written (progress). */
public final class CountingOutputStream extends FilterOutputStream {
    private final LongAdder count;

    public CountingOutputStream(OutputStream out, LongAdder count) {
        super(out);
        this.count = count;
    }

    public CountingOutputStream(OutputStream out) {
        this(out, new LongAdder());
    }

    public long count() {
        return count.sum();
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        count.increment();
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        count.add(len);
    }
}
