package dev.caravan.verify;

import dev.caravan.destination.Destination;
import dev.caravan.destination.ReadBack;

import java.util.Optional;

/** Reads one stored object back and compares its size and SHA-256 with what the manifest says. */
public final class CopyCheck {
    private CopyCheck() {
    }

    /** Empty when the copy matches; otherwise one sentence saying what is wrong. */
    public static Optional<String> check(Destination d, String key, long bytes, String sha256) {
        return ReadBack.check(d, key, bytes, sha256);
    }
}
