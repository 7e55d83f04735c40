package dev.caravan.source.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Checks an RDB stream as it passes: the {@code REDIS0010} header, the EOF opcode and the CRC-64
 * (Jones, reflected) Redis stores little-endian in the last 8 bytes. It holds back the last 49
 * bytes because {@code redis-cli --rdb -} appends the 40-byte end mark of a diskless transfer
 * (it can only truncate it from a file, not from stdout); {@link #finish} drops that mark.
 */
final class RdbCheck {
    private static final int MARK = 40;
    private static final int HOLD = 9 + MARK;
    private static final long[] TABLE = new long[256];

    static {
        long poly = Long.reverse(0xad93d23594c935a9L);
        for (int i = 0; i < 256; i++) {
            long crc = i;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ poly : crc >>> 1;
            }
            TABLE[i] = crc;
        }
    }

    private final String who;
    private final OutputStream out;
    private final byte[] head = new byte[9];
    private final byte[] tail = new byte[HOLD];
    private int held;
    private long total;
    private long crc;

    /** {@code out}: where the checked bytes go (null: nowhere). */
    RdbCheck(String who, OutputStream out) {
        this.who = who;
        this.out = out;
    }

    static long crc64(long crc, byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            crc = TABLE[(int) ((crc ^ b[i]) & 0xff)] ^ (crc >>> 8);
        }
        return crc;
    }

    /** Reads {@code in} to its end; throws with {@code who} first if it is not a whole RDB file. */
    static void check(String who, InputStream in) throws IOException {
        RdbCheck c = new RdbCheck(who, null);
        byte[] buf = new byte[64 * 1024];
        for (int n; (n = in.read(buf)) >= 0; ) {
            c.write(buf, 0, n);
        }
        c.finish();
    }

    void write(byte[] b, int off, int len) throws IOException {
        for (int i = 0; i < len && total + i < head.length; i++) {
            head[(int) total + i] = b[off + i];
        }
        total += len;
        if (held + len <= HOLD) {
            System.arraycopy(b, off, tail, held, len);
            held += len;
            return;
        }
        int release = held + len - HOLD;
        int fromTail = Math.min(release, held);
        emit(tail, 0, fromTail);
        int fromB = release - fromTail;
        emit(b, off, fromB);
        System.arraycopy(tail, fromTail, tail, 0, held - fromTail);
        held -= fromTail;
        System.arraycopy(b, off + fromB, tail, held, len - fromB);
        held += len - fromB;
    }

    /** Checks the end and passes on the RDB without redis-cli's end mark; throws if the file is not whole. */
    void finish() throws IOException {
        String magic = new String(head, StandardCharsets.US_ASCII);
        if (total < head.length || !magic.startsWith("REDIS") || !magic.substring(5).chars().allMatch(Character::isDigit)) {
            throw new IOException(who + ": not an RDB file (it does not start with REDIS and a version)");
        }
        boolean sawEnd = false;
        for (int end : new int[] {held - 9, held - 9 - MARK}) {
            if (end < 0 || (tail[end] & 0xff) != 0xff || (end < held - 9 && !hex(end + 9))) {
                continue;
            }
            sawEnd = true;
            long c = crc64(crc64(crc, tail, 0, end), tail, end, 1);
            long stored = 0;
            for (int i = end + 8; i > end; i--) {
                stored = (stored << 8) | (tail[i] & 0xff);
            }
            if (stored == 0 || stored == c) {
                emit(tail, 0, end + 9);
                return;
            }
        }
        throw new IOException(who + (sawEnd ? ": the RDB file is damaged (CRC-64 mismatch over " + total + " bytes)"
                : ": the RDB file is incomplete (" + total + " bytes, no end marker)"));
    }

    private boolean hex(int from) {
        for (int i = from; i < held; i++) {
            int c = tail[i];
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private void emit(byte[] b, int off, int len) throws IOException {
        crc = crc64(crc, b, off, len);
        if (out != null) {
            out.write(b, off, len);
        }
    }
}
