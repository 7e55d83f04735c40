package dev.caravan.backup;

import dev.caravan.destination.Destination;
import dev.caravan.format.FastCdc;
import dev.caravan.io.Failures;
import dev.caravan.io.Sha256;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The dump of a deduplicated object ({@link Manifest.Entry#chunks()}): each chunk in turn is read,
 * unpacked and checked against its name (the name is the hash of its plain bytes) before a byte of
 * it is handed on, and a chunk that is missing or damaged at one destination is read from the next
 * one that holds it. At the end the whole dump is checked against the manifest's SHA-256. So a
 * restore never feeds a damaged byte to the dump tool, and one bad copy of one chunk costs nothing
 * while another destination holds a good one.
 *
 * <p>Memory: one chunk at a time, at most {@link FastCdc#MAX} bytes.
 */
final class ChunkReader extends InputStream {
    /** Reads one stored chunk back to its plain bytes. */
    interface Opener {
        InputStream open(InputStream stored, String chunk) throws IOException;
    }

    private final String plan;
    private final String what;
    private final Iterator<String> chunks;
    private final List<Destination> order;
    private final ChunkNames names;
    private final Opener opener;
    private final String sha256;
    private final MessageDigest whole = Sha256.digest();
    private byte[] buf = new byte[0];
    private int pos;
    private int len;
    private boolean done;

    /** {@code names} checks each chunk's name (null: only the whole dump's {@code sha256} is checked). */
    ChunkReader(String plan, String what, List<String> chunks, List<Destination> order, ChunkNames names,
                Opener opener, String sha256) {
        this.plan = plan;
        this.what = what;
        this.chunks = chunks.iterator();
        this.order = List.copyOf(order);
        this.names = names;
        this.opener = opener;
        this.sha256 = sha256;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int n) throws IOException {
        while (pos == len) {
            if (!next()) {
                return -1;
            }
        }
        int k = Math.min(n, len - pos);
        System.arraycopy(buf, pos, b, off, k);
        pos += k;
        return k;
    }

    private boolean next() throws IOException {
        if (done) {
            return false;
        }
        if (!chunks.hasNext()) {
            done = true;
            String actual = Sha256.hex(whole);
            if (sha256 != null && !sha256.equals(actual)) {
                throw new IOException(what + ": the joined chunks do not match the dump's SHA-256 (" + actual + ", expected " + sha256 + ")");
            }
            return false;
        }
        String chunk = chunks.next();
        List<String> problems = new ArrayList<>();
        for (Destination d : order) {
            try {
                load(d, chunk);
                whole.update(buf, 0, len);
                return true;
            } catch (java.nio.file.NoSuchFileException e) {
                problems.add("missing at " + d.name());
            } catch (IOException | RuntimeException e) {
                problems.add("damaged at " + d.name() + " (" + Failures.rootCause(e) + ")");
            }
        }
        throw new IOException(what + ": chunk " + chunk + " is " + String.join("; ", problems));
    }

    private void load(Destination d, String chunk) throws IOException {
        pos = 0;
        len = 0;
        try (InputStream stored = d.open(Layout.chunk(plan, chunk)); InputStream plain = opener.open(stored, chunk)) {
            byte[] b = buf.length == 0 ? new byte[1 << 20] : buf;
            int n = 0;
            for (int r; (r = plain.read(b, n, b.length - n)) >= 0; ) {
                n += r;
                if (n == b.length) {
                    if (b.length > FastCdc.MAX) {
                        throw new IOException("it unpacks to more than " + FastCdc.MAX + " bytes");
                    }
                    b = java.util.Arrays.copyOf(b, Math.min(b.length * 2, FastCdc.MAX + 1));
                }
            }
            if (names != null) {
                String expected = chunk.substring(0, chunk.indexOf('.') < 0 ? chunk.length() : chunk.indexOf('.'));
                String actual = names.hex(b, 0, n);
                if (!actual.equals(expected)) {
                    throw new IOException("its content does not match its name (hash " + actual + ")");
                }
            }
            buf = b;
            len = n;
        } catch (IOException | RuntimeException e) {
            len = 0;
            throw e;
        }
    }
}
