package dev.caravan.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.caravan.testing.PostgresServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test server's {@code archive_command} that runs {@code caravan wal-push} in the test's JVM: the
 * command is {@code curl}, which asks this loopback HTTP server to push {@code %p} as {@code %f} and
 * fails (so PostgreSQL keeps the segment and retries) exactly when wal-push exits non-zero. Same
 * contract as calling the launcher from archive_command, without a JVM start per segment.
 */
final class WalPushBridge implements AutoCloseable {
    private final HttpServer server;
    private final Path plan;
    private final String source;
    final List<String> failures = new CopyOnWriteArrayList<>();

    WalPushBridge(Path plan, String source) throws IOException {
        this.plan = plan;
        this.source = source;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/push", this::push);
        server.start();
    }

    /** The archive_command setting: runs in the data directory, so {@code $PWD/%p} is the segment's absolute path. */
    String archiveCommand() {
        return "curl -sf -m 120 -G --data-urlencode \"p=$PWD/%p\" --data-urlencode \"f=%f\" http://127.0.0.1:"
                + server.getAddress().getPort() + "/push";
    }

    private void push(HttpExchange ex) throws IOException {
        Map<String, String> q = new HashMap<>();
        for (String kv : ex.getRequestURI().getRawQuery().split("&")) {
            String[] p = kv.split("=", 2);
            q.put(p[0], URLDecoder.decode(p[1], StandardCharsets.UTF_8));
        }
        CliRunner.Result r = CliRunner.run("wal-push", plan.toString(), "--source", source, q.get("p"), q.get("f"));
        if (r.exit() != 0) {
            failures.add(q.get("f") + ": " + r.err().strip());
        }
        byte[] body = r.toString().getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(r.exit() == 0 ? 200 : 500, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    /** Writes a little, switches to a new segment and returns the name of the one just finished. */
    static String switchWal(PostgresServer pg) throws IOException {
        return pg.sql("postgres", "CREATE TEMP TABLE s AS SELECT 1; SELECT pg_walfile_name(pg_switch_wal())");
    }

    /** Waits until the archiver stored {@code segment} (or a later one). */
    static void awaitArchived(PostgresServer pg, String segment, long timeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            String last = pg.sql("postgres", "SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver");
            if (last.length() >= 24 && !last.endsWith(".history") && last.substring(0, 24).compareTo(segment) >= 0) {
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the archiver did not store " + segment + " (last archived: " + last + ")" + pg.logTail());
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
