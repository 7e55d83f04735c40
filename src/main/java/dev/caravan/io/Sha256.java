package dev.caravan.io;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 helpers; streams only. */
public final class Sha256 {
    private Sha256() {
    }

    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    public static String hex(MessageDigest md) {
        return HexFormat.of().formatHex(md.digest());
    }

    /** Reads {@code in} to its end (does not close it) and returns the hex SHA-256 and the byte count. */
    public static Result of(InputStream in) throws IOException {
        MessageDigest md = digest();
        byte[] buf = new byte[1 << 17];
        long n = 0;
        for (int r; (r = in.read(buf)) >= 0; ) {
            md.update(buf, 0, r);
            n += r;
        }
        return new Result(hex(md), n);
    }

    public record Result(String sha256, long bytes) {
    }
}
