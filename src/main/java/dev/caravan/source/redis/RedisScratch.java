package dev.caravan.source.redis;

import dev.caravan.model.DrillSpec;
import dev.caravan.model.SourceSpec;
import dev.caravan.source.Scratch;
import dev.caravan.source.tool.ScratchDir;
import dev.caravan.source.tool.Tool;
import dev.caravan.source.tool.ToolRun;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A private redis-server on 127.0.0.1 and a free port, with a random password, no persistence and
 * its own temporary directory; the restore loads the keys into it; checks are redis-cli commands
 * such as {@code dbsize}; closing stops it and removes the directory.
 */
final class RedisScratch implements Scratch {
    private static final String HINT = "apt-get install redis-server";

    private final String who;
    private final ScratchDir dir;
    private final int port;
    private final String password;
    private final Process process;

    private RedisScratch(String who, ScratchDir dir, int port, String password, Process process) {
        this.who = who;
        this.dir = dir;
        this.port = port;
        this.password = password;
        this.process = process;
    }

    static RedisScratch start(SourceSpec spec) throws IOException {
        String who = "drill of redis '" + spec.name() + "'";
        String server = Tool.require(who, HINT, "redis-server").toString();
        ScratchDir dir = ScratchDir.create("caravan-drill-redis-");
        try {
            int port = freePort();
            String password = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong())
                    + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
            Files.writeString(dir.resolve("redis.conf"), String.join("\n", "port " + port, "bind 127.0.0.1",
                    "dir " + dir.path(), "save \"\"", "appendonly no", "requirepass " + password, "daemonize no",
                    "logfile " + dir.resolve("redis.log"), "") );
            Process p = new ProcessBuilder(server, dir.resolve("redis.conf").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
            RedisScratch scratch = new RedisScratch(who, dir, port, password, p);
            scratch.awaitPort();
            return scratch;
        } catch (IOException | RuntimeException e) {
            dir.close();
            throw e;
        }
    }

    @Override
    public String target() {
        return "redis://default:" + password + "@127.0.0.1:" + port;
    }

    @Override
    public long measure(DrillSpec.Check check) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Tool.require(who, "apt-get install redis-tools", "redis-cli").toString(),
                "-h", "127.0.0.1", "-p", String.valueOf(port), "--no-auth-warning"));
        cmd.addAll(List.of(check.query().strip().split("\\s+")));
        return Scratch.number(check, ToolRun.of(who, cmd).env("REDISCLI_AUTH", password).output());
    }

    @Override
    public void close() throws IOException {
        try {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            dir.close();
        }
    }

    private void awaitPort() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(who + ": redis-server exited at start: " + Files.readString(dir.resolve("stdout.log")).strip());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep();
            }
        }
        process.destroyForcibly();
        throw new IOException(who + ": redis-server did not listen on port " + port + " within 20 s");
    }

    private static void sleep() throws IOException {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
