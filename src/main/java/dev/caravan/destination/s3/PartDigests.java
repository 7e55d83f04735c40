package dev.caravan.destination.s3;

import dev.caravan.io.Sha256;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;

/** The {@code x-amz-checksum-sha256} S3 keeps for an object, as it must be for a local file. */
final class PartDigests {
    private PartDigests() {
    }

    /**
     * What the service's {@code stored} checksum must be for {@code local} ({@code bytes} long, SHA-256
     * {@code sha256} in hex): the whole object's SHA-256 in base64, or for a multipart object
     * ({@code stored} ends in {@code -N}) the SHA-256 of the SHA-256s of its parts of {@code partSize}
     * bytes, then {@code -N}. The multipart case reads {@code local} once and fails if it no longer
     * matches {@code sha256}; a part count other than the file's at that part size yields a value
     * that cannot match.
     */
    static String expected(Path local, long bytes, String sha256, long partSize, String stored) throws IOException {
        int dash = stored.lastIndexOf('-');
        if (dash < 0) {
            return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256));
        }
        MessageDigest whole = Sha256.digest();
        MessageDigest composite = Sha256.digest();
        MessageDigest part = Sha256.digest();
        byte[] buf = new byte[1 << 16];
        long total = 0;
        long inPart = 0;
        int parts = 0;
        try (InputStream in = Files.newInputStream(local)) {
            for (int n; (n = in.read(buf, 0, (int) Math.min(buf.length, partSize - inPart))) > 0; ) {
                whole.update(buf, 0, n);
                part.update(buf, 0, n);
                total += n;
                inPart += n;
                if (inPart == partSize) {
                    composite.update(part.digest());
                    parts++;
                    inPart = 0;
                }
            }
        }
        if (inPart > 0) {
            composite.update(part.digest());
            parts++;
        }
        if (total != bytes || !Sha256.hex(whole).equals(sha256)) {
            throw new IOException("the local file changed since it was uploaded");
        }
        return Base64.getEncoder().encodeToString(composite.digest()) + "-" + parts;
    }
}
