package dev.caravan.format;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * Stream-to-channel adapters without the 8 KiB copy loop of {@link java.nio.channels.Channels#newChannel}:
 * heap buffers are handed to the stream in one call.
 */
final class StreamChannels {
    private static final int COPY = 64 * 1024;

    private StreamChannels() {
    }

    static WritableByteChannel writable(OutputStream out) {
        return new WritableByteChannel() {
            private boolean open = true;
            private byte[] copy;

            @Override
            public int write(ByteBuffer src) throws IOException {
                int n = src.remaining();
                if (src.hasArray()) {
                    out.write(src.array(), src.arrayOffset() + src.position(), n);
                    src.position(src.limit());
                    return n;
                }
                if (copy == null) {
                    copy = new byte[COPY];
                }
                while (src.hasRemaining()) {
                    int len = Math.min(copy.length, src.remaining());
                    src.get(copy, 0, len);
                    out.write(copy, 0, len);
                }
                return n;
            }

            @Override
            public boolean isOpen() {
                return open;
            }

            @Override
            public void close() throws IOException {
                if (open) {
                    open = false;
                    out.close();
                }
            }
        };
    }

    static ReadableByteChannel readable(InputStream in) {
        return new ReadableByteChannel() {
            private boolean open = true;
            private byte[] copy;

            @Override
            public int read(ByteBuffer dst) throws IOException {
                if (!dst.hasRemaining()) {
                    return 0;
                }
                if (dst.hasArray()) {
                    int n = in.read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
                    if (n > 0) {
                        dst.position(dst.position() + n);
                    }
                    return n;
                }
                if (copy == null) {
                    copy = new byte[COPY];
                }
                int n = in.read(copy, 0, Math.min(copy.length, dst.remaining()));
                if (n > 0) {
                    dst.put(copy, 0, n);
                }
                return n;
            }

            @Override
            public boolean isOpen() {
                return open;
            }

            @Override
            public void close() throws IOException {
                if (open) {
                    open = false;
                    in.close();
                }
            }
        };
    }
}
