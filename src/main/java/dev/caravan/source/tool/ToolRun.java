package dev.caravan.source.tool;

import dev.caravan.io.Redact;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one external tool (pg_dump, mariadb, redis-cli, ...) with streams: its stdout goes to a sink,
 * a stream may feed its stdin, and a thread keeps the last 64 KiB of its stderr. A non-zero exit
 * becomes an IOException with one sentence: {@code postgres 'app': pg_dump failed: <cause>}.
 * Secrets go through {@link #env} or a {@link SecretFile}, never the command line.
 */
public final class ToolRun {
    static final int STDERR_TAIL = 64 * 1024;
    private static final int MAX_CAUSE = 600;

    private final String who;
    private final List<String> command;
    private final Map<String, String> env = new LinkedHashMap<>();
    private InputStream stdin;
    private OutputStream stdout;
    private Path directory;

    private ToolRun(String who, List<String> command) {
        this.who = who;
        this.command = List.copyOf(command);
    }

    /** {@code who} names the source in messages, e.g. {@code postgres 'app'}. */
    public static ToolRun of(String who, List<String> command) {
        return new ToolRun(who, command);
    }

    public ToolRun env(String key, String value) {
        if (value != null) {
            env.put(key, value);
        }
        return this;
    }

    public ToolRun stdin(InputStream in) {
        this.stdin = in;
        return this;
    }

    public ToolRun stdout(OutputStream out) {
        this.stdout = out;
        return this;
    }

    public ToolRun directory(Path dir) {
        this.directory = dir;
        return this;
    }

    /** Runs the tool to completion; returns how many bytes it wrote to stdout. */
    public long run() throws IOException {
        String tool = Path.of(command.get(0)).getFileName().toString();
        if (command.stream().anyMatch(Redact::hasSecret)) {
            throw new IOException(who + ": refusing to start " + tool + " with a password on its command line, where ps shows it"
                    + " (pass it in the environment or a 0600 file)");
        }
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        if (directory != null) {
            pb.directory(directory.toFile());
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException(who + ": " + tool + " could not be started: " + e.getMessage(), e);
        }
        TailBuffer err = new TailBuffer(STDERR_TAIL);
        Thread errPump = pump("stderr", p.getErrorStream(), err);
        AtomicReference<IOException> inputFailure = new AtomicReference<>();
        Thread inPump = feed(p, inputFailure);
        OutputStream sink = stdout != null ? stdout : new TailBuffer(STDERR_TAIL);
        long count = 0;
        try (InputStream out = p.getInputStream()) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = out.read(buf)) >= 0; ) {
                sink.write(buf, 0, n);
                count += n;
            }
            int exit = p.waitFor();
            errPump.join();
            if (inPump != null) {
                inPump.join();
            }
            if (inputFailure.get() != null) {
                throw new IOException(who + ": reading the dump for " + tool + " failed: "
                        + inputFailure.get().getMessage(), inputFailure.get());
            }
            if (exit != 0) {
                String cause = cause(tool, err.toString());
                if (cause.isEmpty() && stdout == null) {
                    cause = cause(tool, sink.toString());
                }
                throw new IOException(who + ": " + tool + " failed: "
                        + (cause.isEmpty() ? "exited with code " + exit : Redact.text(cause)));
            }
            return count;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(who + ": interrupted while " + tool + " was running");
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
                try {
                    p.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Runs the tool and returns what it printed; for short answers to queries, never for dumps. */
    public String output() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        stdout(buf).run();
        return buf.toString().trim();
    }

    /** The stderr lines that say what went wrong, without the tool's own prefix, on one line. */
    static String cause(String tool, String stderr) {
        List<String> lines = stderr.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        List<String> picked = new ArrayList<>();
        for (String l : lines) {
            String low = l.toLowerCase(Locale.ROOT);
            if (low.contains("error") || low.contains("fatal") || low.contains("failed") || low.contains("denied")
                    || low.contains("could not") || low.contains("unknown") || low.contains("refused")) {
                picked.add(l);
            }
        }
        if (picked.isEmpty() && !lines.isEmpty()) {
            picked.add(lines.get(lines.size() - 1));
        }
        List<String> cleaned = new ArrayList<>();
        for (String l : picked) {
            String c = l;
            for (String prefix : List.of(tool + ": ", "error: ", "ERROR: ", "Error: ")) {
                if (c.startsWith(prefix)) {
                    c = c.substring(prefix.length());
                }
            }
            c = c.replaceAll("\\s+", " ").trim();
            if (!cleaned.contains(c)) {
                cleaned.add(c);
            }
        }
        String s = String.join("; ", cleaned);
        return s.length() > MAX_CAUSE ? "..." + s.substring(s.length() - MAX_CAUSE) : s;
    }

    private Thread feed(Process p, AtomicReference<IOException> inputFailure) throws IOException {
        if (stdin == null) {
            p.getOutputStream().close();
            return null;
        }
        Thread t = new Thread(() -> {
            byte[] buf = new byte[64 * 1024];
            try (OutputStream to = p.getOutputStream()) {
                while (true) {
                    int n;
                    try {
                        n = stdin.read(buf);
                    } catch (IOException e) {
                        inputFailure.set(e);
                        p.destroyForcibly();
                        return;
                    }
                    if (n < 0) {
                        return;
                    }
                    to.write(buf, 0, n);
                }
            } catch (IOException e) {
                // the tool closed its stdin (exited early); its exit code and stderr say why
            }
        }, who + " stdin");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private Thread pump(String what, InputStream from, OutputStream to) {
        Thread t = new Thread(() -> {
            try (from) {
                from.transferTo(to);
            } catch (IOException e) {
                // the process is gone; nothing more to read
            }
        }, who + " " + what);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
