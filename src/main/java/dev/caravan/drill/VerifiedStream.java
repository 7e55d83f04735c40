package dev.caravan.drill;

import dev.caravan.io.Sha256;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;

/**
 * A stored object read once: it hashes what passes through, and {@link #verify} reads whatever the
 * restore left unread and compares size and SHA-256 with the manifest, so the object is checked
 * without a second download.
 */
final class VerifiedStream extends FilterInputStream {
    private final MessageDigest md = Sha256.digest();
    private final String key;
    private final long bytes;
    private final String sha256;
    private long read;

    VerifiedStream(InputStream in, String key, long bytes, String sha256) {
        super(in);
        this.key = key;
        this.bytes = bytes;
        this.sha256 = sha256;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            md.update((byte) b);
            read++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            md.update(b, off, n);
            read += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[(int) Math.min(n, 64 * 1024)];
        int r = read(buf, 0, buf.length);
        return Math.max(r, 0);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Reads to the end and throws when the object is not the one the manifest describes. */
    void verify() throws IOException {
        transferTo(OutputStream.nullOutputStream());
        if (read != bytes) {
            throw new IOException(key + " has " + read + " bytes, the manifest says " + bytes);
        }
        String actual = Sha256.hex(md);
        if (!actual.equals(sha256)) {
            throw new IOException(key + " checksum mismatch (SHA-256 " + actual + ", the manifest says " + sha256 + ")");
        }
    }
}
