package dev.caravan.source.tool;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Finds a dump tool on PATH and reports its version, so a missing client is named before anything runs. */
public final class Tool {
    private static final Map<String, String> VERSIONS = new ConcurrentHashMap<>();

    private Tool() {
    }

    /** The first of {@code names} found on PATH (or an absolute/relative path that is executable). */
    public static Optional<Path> find(String... names) {
        for (String name : names) {
            if (name.contains("/")) {
                Path p = Path.of(name);
                if (Files.isExecutable(p)) {
                    return Optional.of(p);
                }
                continue;
            }
            String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
            for (String dir : path.split(File.pathSeparator)) {
                if (dir.isEmpty()) {
                    continue;
                }
                Path p = Path.of(dir, name);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The first of {@code names} found on PATH, or an IOException such as
     * {@code postgres 'app': pg_dump not found on PATH (apt-get install postgresql-client)}.
     */
    public static Path require(String who, String hint, String... names) throws IOException {
        return find(names).orElseThrow(() -> new IOException(who + ": " + String.join(" or ", names)
                + " not found on PATH" + (hint == null ? "" : " (" + hint + ")")));
    }

    /** The first line {@code tool --version} prints, cached per executable; e.g. {@code pg_dump (PostgreSQL) 15.14}. */
    public static String version(Path executable) {
        return VERSIONS.computeIfAbsent(executable.toString(), exe -> {
            try {
                Process p = new ProcessBuilder(List.of(exe, "--version")).redirectErrorStream(true).start();
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                p.getInputStream().transferTo(buf);
                p.waitFor();
                String first = buf.toString().lines().filter(l -> !l.isBlank()).findFirst().orElse("").trim();
                return first.isEmpty() ? executable.getFileName().toString() : first;
            } catch (IOException e) {
                return executable.getFileName() + " (version unknown: " + e.getMessage() + ")";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return executable.getFileName() + " (version unknown)";
            }
        });
    }
}
