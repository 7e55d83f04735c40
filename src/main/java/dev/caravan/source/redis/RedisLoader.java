package dev.caravan.source.redis;

import dev.caravan.source.tool.ScratchDir;
import dev.caravan.source.tool.Tool;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Loads an RDB file into a running server without touching its data directory: a private
 * redis-server on loopback opens the RDB, then every key is copied with DUMP + PTTL and
 * RESTORE ... REPLACE (values, types and remaining TTLs kept), in pipelined batches, plus
 * FUNCTION DUMP/RESTORE for function libraries.
 */
final class RedisLoader {
    private static final int BATCH = 500;

    private final String who;

    RedisLoader(String who) {
        this.who = who;
    }

    /** Returns the number of keys loaded. {@code force}: the target is flushed first; otherwise it must be empty. */
    long load(InputStream rdb, RedisConnection target, boolean force, boolean dryRun, Consumer<String> log) throws IOException {
        try (RespClient to = target.connect(who)) {
            long existing;
            try {
                existing = keyCount(to);
            } catch (IOException e) {
                throw new IOException(who + ": " + target.describe() + " refused: " + e.getMessage()
                        + (target.password() == null ? " (give its password in the target URL: redis://[user]:PASSWORD@host:port)" : ""), e);
            }
            if (existing > 0 && !force) {
                throw new IOException(who + ": " + target.describe() + " is not empty (" + existing
                        + " keys); restore with --force to flush it and load the backup");
            }
            log.accept(who + ": " + (dryRun ? "would " : "") + (existing > 0 ? "flush " + target.describe() + " and " : "")
                    + "load the RDB into " + target.describe() + " through a temporary redis-server");
            if (dryRun) {
                return 0;
            }
            Path server = Tool.require(who, "apt-get install redis-server", "redis-server");
            try (ScratchDir tmp = ScratchDir.create("caravan-redis-")) {
                Files.copy(rdb, tmp.resolve("dump.rdb"));
                int port = freePort();
                Process p = new ProcessBuilder(server.toString(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
                        "--dir", tmp.path().toString(), "--dbfilename", "dump.rdb", "--save", "", "--appendonly", "no",
                        "--logfile", tmp.resolve("redis.log").toString()).redirectErrorStream(true)
                        .redirectOutput(tmp.resolve("stdout.log").toFile()).start();
                try (RespClient from = awaitLoaded(p, port, tmp.path())) {
                    if (existing > 0) {
                        to.call("FLUSHALL");
                    }
                    return copy(from, to);
                } finally {
                    p.destroy();
                    try {
                        if (!p.waitFor(10, TimeUnit.SECONDS)) {
                            p.destroyForcibly().waitFor();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }
    }

    private long copy(RespClient from, RespClient to) throws IOException {
        Object functions = from.call("FUNCTION", "DUMP");
        if (functions instanceof byte[] payload && ((List<?>) from.call("FUNCTION", "LIST")).size() > 0) {
            to.call("FUNCTION", "RESTORE", payload, "REPLACE");
        }
        long copied = 0;
        for (int db : databases(from)) {
            from.call("SELECT", db);
            to.call("SELECT", db);
            String cursor = "0";
            do {
                List<?> scan = (List<?>) from.call("SCAN", cursor, "COUNT", BATCH);
                cursor = new String((byte[]) scan.get(0), StandardCharsets.US_ASCII);
                List<?> keys = (List<?>) scan.get(1);
                for (Object k : keys) {
                    from.send("DUMP", k);
                    from.send("PTTL", k);
                }
                from.flush();
                int sent = 0;
                for (Object k : keys) {
                    Object payload = from.read();
                    long ttl = (Long) from.read();
                    if (payload instanceof byte[] b && ttl != -2) {
                        to.send("RESTORE", k, ttl < 0 ? 0 : ttl, b, "REPLACE");
                        sent++;
                    }
                }
                to.flush();
                for (int i = 0; i < sent; i++) {
                    if (to.read() instanceof RespClient.Error e) {
                        throw new IOException(who + ": RESTORE failed: " + e.message());
                    }
                }
                copied += sent;
            } while (!cursor.equals("0"));
        }
        to.call("SELECT", 0);
        return copied;
    }

    static long keyCount(RespClient c) throws IOException {
        long n = 0;
        for (String line : info(c)) {
            int at = line.indexOf("keys=");
            if (line.startsWith("db") && at > 0) {
                n += Long.parseLong(line.substring(at + 5, line.indexOf(',', at)));
            }
        }
        return n;
    }

    private static List<Integer> databases(RespClient c) throws IOException {
        List<Integer> dbs = new ArrayList<>();
        for (String line : info(c)) {
            if (line.startsWith("db") && line.contains(":keys=")) {
                dbs.add(Integer.parseInt(line.substring(2, line.indexOf(':'))));
            }
        }
        return dbs;
    }

    private static List<String> info(RespClient c) throws IOException {
        return new String((byte[]) c.call("INFO", "keyspace"), StandardCharsets.UTF_8).lines().toList();
    }

    private RespClient awaitLoaded(Process p, int port, Path dir) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IOException(who + ": the temporary redis-server could not load the RDB file: " + logTail(dir));
            }
            try {
                RespClient c = new RespClient("127.0.0.1", port);
                Object pong = c.request("PING");
                if ("PONG".equals(pong)) {
                    return c;
                }
                c.close();
            } catch (IOException e) {
                // not listening yet
            }
            sleep();
        }
        throw new IOException(who + ": the temporary redis-server did not finish loading the RDB file in 10 minutes");
    }

    private static String logTail(Path dir) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("redis.log"));
            return lines.isEmpty() ? "no log" : lines.get(lines.size() - 1).replaceAll("^\\d+:\\w \\S+ \\S+ \\S+ \\S+ [*#.-] ", "");
        } catch (IOException e) {
            return "no log";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void sleep() throws IOException {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for the temporary redis-server");
        }
    }
}
