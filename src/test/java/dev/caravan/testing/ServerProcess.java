package dev.caravan.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test server run as a child process on 127.0.0.1 (S3Proxy, Azurite, PostgreSQL, ...). Output goes
 * to a log file whose tail is in every failure message. A server that does not come up fails the
 * test: tests never skip because a server is missing.
 */
public final class ServerProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    private ServerProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} with its output in {@code log} and waits until {@code port} accepts connections. */
    public static ServerProcess start(String name, List<String> command, Path workDir, Path log, int port, Duration timeout)
            throws IOException {
        Files.createDirectories(workDir);
        Process p = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ServerProcess server = new ServerProcess(name, p, log);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!accepts(port)) {
            if (!p.isAlive()) {
                throw new IOException(name + " exited with " + p.exitValue() + " before listening on " + port + server.tail());
            }
            if (System.nanoTime() > deadline) {
                server.close();
                throw new IOException(name + " did not listen on port " + port + " within " + timeout + server.tail());
            }
            sleep(100);
        }
        return server;
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public Process process() {
        return process;
    }

    /** Stops the server: SIGTERM, then SIGKILL after 10 s; waits for it so no zombie is left. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last lines of the server's log, for failure messages. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return "\n--- last lines of " + name + " log " + log + ":\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
