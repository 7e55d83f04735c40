package dev.caravan.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Small helpers for test servers: run a setup command and fail loudly, make a private data directory. */
public final class Commands {

    private Commands() {
    }

    /** Runs {@code command} with {@code env}, optional {@code stdin}; returns stdout; throws with the output on failure. */
    public static String run(List<String> command, Map<String, String> env, String stdin) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        Path err = Files.createTempFile("caravan-cmd-", ".err");
        try {
            pb.redirectError(err.toFile());
            Process p = pb.start();
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            p.getInputStream().transferTo(out);
            int exit = p.waitFor();
            if (exit != 0) {
                throw new IOException(String.join(" ", command) + " exited with " + exit + ":\n" + out + Files.readString(err));
            }
            return out.toString(StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            Files.deleteIfExists(err);
        }
    }

    /** A fresh directory under target/test-servers for one server's data, logs and sockets. */
    public static Path dataDir(String name) throws IOException {
        Path dir = Path.of("target", "test-servers", name + "-" + UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();
        Files.createDirectories(dir);
        return dir;
    }
}
