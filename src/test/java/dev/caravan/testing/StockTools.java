package dev.caravan.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's stock command-line tools (zstd, gzip, xz, bzip2, age, tar) from tests. A missing tool
 * fails the test with a message naming the package to install; it never skips.
 */
public final class StockTools {
    private StockTools() {
    }

    /** Runs {@code command} (a shell-free argv) with stdin from {@code in} and stdout to {@code out} (either may be null). */
    public static String run(List<String> command, Path in, Path out) throws IOException, InterruptedException {
        return run(command, in, out, Map.of());
    }

    public static String run(List<String> command, Path in, Path out, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        pb.redirectInput(in == null ? ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()) : ProcessBuilder.Redirect.from(in.toFile()));
        Path err = Files.createTempFile("stock-tool", ".err");
        pb.redirectError(err.toFile());
        if (out != null) {
            pb.redirectOutput(out.toFile());
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException("cannot run " + command.get(0) + ": install it (apt-get install -y age zstd xz-utils bzip2 tar)", e);
        }
        String stdout = "";
        if (out == null) {
            try (InputStream s = p.getInputStream()) {
                stdout = new String(s.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException(command + " timed out");
        }
        String stderr = Files.readString(err);
        Files.delete(err);
        if (p.exitValue() != 0) {
            throw new IOException(command + " exited with " + p.exitValue() + ": " + stderr + stdout);
        }
        return stdout;
    }

    /** Runs a shell pipeline with bash -o pipefail, e.g. {@code age -d -i k f | zstd -d | tar -x -C d}. */
    public static String shell(String pipeline) throws IOException, InterruptedException {
        return run(List.of("bash", "-o", "pipefail", "-c", pipeline), null, null);
    }

    /** Runs {@code command} on a pseudo-terminal, typing {@code passphrase} at each passphrase prompt (for age -p / age -d). */
    public static String withPassphrase(List<String> command, String passphrase) throws IOException, InterruptedException {
        Path script = Files.createTempFile("pty_answer", ".py");
        try (InputStream s = StockTools.class.getResourceAsStream("pty_answer.py")) {
            Files.write(script, s.readAllBytes());
        }
        List<String> argv = new ArrayList<>(List.of("python3", script.toString()));
        argv.addAll(command);
        try {
            return run(argv, null, null, Map.of("PTY_PASSPHRASE", passphrase));
        } finally {
            Files.delete(script);
        }
    }
}
