package dev.caravan.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Hands the bytes written to it to another thread, which writes them downstream, so that two
 * stages of a pipeline (say, compression and encryption) run on two cores at once. Memory is
 * bounded: {@code buffers} buffers of {@code bufferSize} bytes circulate between the threads; a
 * writer that gets ahead waits. Closing it waits for the downstream thread to finish and closes
 * the downstream stream; a failure on either side is rethrown on the writer's side.
 */
public final class HandoffOutputStream extends OutputStream {
    private static final Chunk END = new Chunk(new byte[0], 0);

    private record Chunk(byte[] bytes, int length) {
    }

    private final OutputStream downstream;
    private final BlockingQueue<Chunk> full;
    private final BlockingQueue<byte[]> empty;
    private final Thread worker;
    private volatile Throwable failure;
    private byte[] current;
    private int position;
    private boolean closed;

    public HandoffOutputStream(OutputStream downstream, String threadName, int buffers, int bufferSize) {
        this.downstream = downstream;
        this.full = new ArrayBlockingQueue<>(buffers + 1);
        this.empty = new ArrayBlockingQueue<>(buffers);
        for (int i = 0; i < buffers - 1; i++) {
            empty.add(new byte[bufferSize]);
        }
        this.current = new byte[bufferSize];
        this.worker = new Thread(this::drain, threadName);
        worker.setDaemon(true);
        worker.start();
    }

    private void drain() {
        try {
            for (Chunk c; (c = full.take()) != END; ) {
                if (failure == null) {
                    downstream.write(c.bytes(), 0, c.length());
                }
                empty.put(c.bytes());
            }
            if (failure == null) {
                downstream.close();
            }
        } catch (Throwable t) {
            failure = t;
            // keep taking chunks so that the writer never blocks on a dead consumer
            try {
                for (Chunk c; (c = full.take()) != END; ) {
                    empty.put(c.bytes());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void write(int b) throws IOException {
        if (position == current.length) {
            handOff();
        }
        current[position++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (position == current.length) {
                handOff();
            }
            int n = Math.min(len, current.length - position);
            System.arraycopy(b, off, current, position, n);
            position += n;
            off += n;
            len -= n;
        }
    }

    private void handOff() throws IOException {
        checkFailure();
        put(new Chunk(current, position));
        try {
            byte[] next;
            while ((next = empty.poll(100, TimeUnit.MILLISECONDS)) == null) {
                checkFailure();
            }
            current = next;
            position = 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while handing data to " + worker.getName());
        }
    }

    private void put(Chunk c) throws IOException {
        try {
            full.put(c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while handing data to " + worker.getName());
        }
    }

    private void checkFailure() throws IOException {
        Throwable t = failure;
        if (t != null) {
            // a new exception each time: the writer may see it from write() and again from close()
            throw new IOException(t instanceof IOException ? t.getMessage() : worker.getName() + " failed: " + t, t);
        }
    }

    /** Data written so far is handed on; downstream is flushed when it is closed. */
    @Override
    public void flush() throws IOException {
        checkFailure();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (position > 0) {
            put(new Chunk(current, position));
        }
        put(END);
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for " + worker.getName());
        }
        checkFailure();
    }
}
