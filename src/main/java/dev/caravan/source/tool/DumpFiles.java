package dev.caravan.source.tool;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Restores a dump as a plain file ({@code restore --to DIR}): temp name, then an atomic rename. */
public final class DumpFiles {

    private DumpFiles() {
    }

    /** Whether a restore target names a directory rather than a database name or URL. */
    public static boolean isDirectory(String target) {
        if (target == null || target.contains("://")) {
            return false;
        }
        return target.startsWith("/") || target.startsWith(".") || target.startsWith("~")
                || target.endsWith("/") || Files.isDirectory(Path.of(target));
    }

    /** Writes {@code in} to {@code file}; refuses to replace an existing file unless {@code force}. */
    public static void write(String who, InputStream in, Path file, boolean force) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        if (Files.exists(file) && !force) {
            throw new IOException(who + ": " + file + " already exists; restore with --force to replace it");
        }
        Path tmp = Files.createTempFile(dir, ".caravan-", ".part");
        try {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
