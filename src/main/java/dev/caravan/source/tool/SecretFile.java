package dev.caravan.source.tool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A temporary file readable only by this user (0600) holding credentials for a tool (a MySQL
 * option file, a pgpass), so no password is ever on a command line. Deleted on close.
 */
public final class SecretFile implements AutoCloseable {
    private final Path path;

    private SecretFile(Path path) {
        this.path = path;
    }

    public static SecretFile create(String prefix, String content) throws IOException {
        Path p = Files.createTempFile(prefix, ".cnf",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(p, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            Files.deleteIfExists(p);
            throw e;
        }
        return new SecretFile(p);
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(path);
    }
}
