package dev.caravan.verify;

import dev.caravan.destination.Destination;
import dev.caravan.io.Sha256;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** Reads one stored object back and compares its size and SHA-256 with what the manifest says. */
public final class CopyCheck {
    private CopyCheck() {
    }

    /** Empty when the copy matches; otherwise one sentence saying what is wrong. */
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
            return Optional.of(d.name() + ": cannot read " + key + ": " + e.getMessage());
        }
    }
}
