package dev.caravan.source.tool;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads a text dump through and checks that its last lines carry the tool's end marker (no truncation). */
public final class TrailerCheck {

    private TrailerCheck() {
    }

    public static void require(String who, InputStream in, String marker, String what) throws IOException {
        byte[] tail = new byte[4096];
        int filled = 0;
        long total = 0;
        byte[] buf = new byte[64 * 1024];
        for (int n; (n = in.read(buf)) >= 0; ) {
            total += n;
            if (n >= tail.length) {
                System.arraycopy(buf, n - tail.length, tail, 0, tail.length);
                filled = tail.length;
            } else {
                int keep = Math.min(filled, tail.length - n);
                System.arraycopy(tail, filled - keep, tail, 0, keep);
                System.arraycopy(buf, 0, tail, keep, n);
                filled = keep + n;
            }
        }
        String end = new String(tail, 0, filled, StandardCharsets.UTF_8);
        if (!end.contains(marker)) {
            throw new IOException(who + ": the " + what + " is incomplete (" + total + " bytes, no '" + marker + "' at its end)");
        }
    }
}
