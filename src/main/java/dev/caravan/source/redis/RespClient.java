package dev.caravan.source.redis;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal, binary-safe RESP2 client: enough to copy keys between servers with DUMP/PTTL/RESTORE
 * in pipelined batches. Replies: String (simple), Long, byte[] (bulk, null when nil), List, or
 * {@link Error} for an error reply read in a pipeline.
 */
final class RespClient implements AutoCloseable {
    /** An error reply, e.g. {@code WRONGPASS invalid username-password pair}. */
    record Error(String message) {
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RespClient(String host, int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 10_000);
        socket.setSoTimeout(120_000);
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    }

    /** Queues one command; call {@link #flush} and then {@link #read} once per command. */
    void send(Object... args) throws IOException {
        out.write(('*' + String.valueOf(args.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (Object a : args) {
            byte[] b = a instanceof byte[] bytes ? bytes : String.valueOf(a).getBytes(StandardCharsets.UTF_8);
            out.write(('$' + String.valueOf(b.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(b);
            out.write('\r');
            out.write('\n');
        }
    }

    void flush() throws IOException {
        out.flush();
    }

    /** Sends one command and returns its reply; an error reply becomes an IOException with the server's words. */
    Object call(Object... args) throws IOException {
        Object r = request(args);
        if (r instanceof Error e) {
            throw new IOException(e.message());
        }
        return r;
    }

    /** Sends one command and returns its reply, an error reply as {@link Error}. */
    Object request(Object... args) throws IOException {
        send(args);
        flush();
        return read();
    }

    Object read() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("the server closed the connection");
        }
        String line = line();
        switch (type) {
            case '+':
                return line;
            case '-':
                return new Error(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                byte[] b = in.readNBytes(n);
                if (b.length < n || in.read() != '\r' || in.read() != '\n') {
                    throw new EOFException("truncated reply");
                }
                return b;
            }
            case '*': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    items.add(read());
                }
                return items;
            }
            default:
                throw new IOException("unexpected reply type '" + (char) type + "'");
        }
    }

    private String line() throws IOException {
        StringBuilder s = new StringBuilder();
        for (int c; (c = in.read()) != '\r'; ) {
            if (c < 0) {
                throw new EOFException("truncated reply");
            }
            s.append((char) c);
        }
        in.read();
        return new String(s.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
