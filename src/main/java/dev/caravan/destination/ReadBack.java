package dev.caravan.destination;

import dev.caravan.io.Failures;
import dev.caravan.io.Sha256;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Reads one stored object back and compares its size and SHA-256 with what was stored: the default of
 * {@link Destination#verifyUpload}, and what {@code dev.caravan.verify.CopyCheck} does for stored backups.
 * It lives beside {@link Destination} so that the interface needs nothing above its own package.
 */
public final class ReadBack {
    private ReadBack() {
    }

    /** Empty when the copy matches; otherwise one sentence naming the destination and saying what is wrong. */
    public static Optional<String> check(Destination d, String key, long bytes, String sha256) {
        try (InputStream in = d.open(key)) {
            Sha256.Result r = Sha256.of(in);
            if (r.bytes() != bytes) {
                return Optional.of(d.name() + ": " + key + " has " + r.bytes() + " bytes, expected " + bytes);
            }
            if (!r.sha256().equals(sha256)) {
                return Optional.of(d.name() + ": " + key + " checksum mismatch (SHA-256 " + r.sha256() + ", expected " + sha256 + ")");
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.of(d.name() + ": cannot read " + key + ": " + Failures.rootCause(e));
        }
    }
}
