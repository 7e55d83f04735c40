package dev.caravan.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Tells whether the plan file changed since the last look, by its content (editors that write a
 * new file and rename it, or keep the modification time, are seen too). Polled by the service.
 */
final class PlanWatcher {
    private final Path file;
    private byte[] digest;

    PlanWatcher(Path file) {
        this.file = file;
        this.digest = digest();
    }

    /** True once per change; a file that is missing for a moment (mid-save) is not a change. */
    boolean changed() {
        byte[] now = digest();
        if (now == null || Arrays.equals(now, digest)) {
            return false;
        }
        digest = now;
        return true;
    }

    private byte[] digest() {
        try {
            return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        } catch (IOException e) {
            return null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
