package dev.caravan.testing;

import dev.caravan.model.Options;
import dev.caravan.model.Secret;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A PostgreSQL 15 server on 127.0.0.1, run as the {@code postgres} user from a private data
 * directory under target/, shared by every test in the JVM and stopped when the JVM exits.
 * Superuser {@code postgres} with {@link #PASSWORD}, scram-sha-256 over TCP.
 */
public final class PostgresServer {
    public static final String PASSWORD = "caravan-test-pw";
    private static final String BIN = "/usr/lib/postgresql/15/bin/";
    private static PostgresServer shared;

    private final int port;
    private final ServerProcess process;

    private PostgresServer(int port, ServerProcess process) {
        this.port = port;
        this.process = process;
    }

    public static synchronized PostgresServer shared() throws IOException {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared.process::close));
        }
        return shared;
    }

    private static PostgresServer start() throws IOException {
        Path dir = Commands.dataDir("postgres");
        Path data = dir.resolve("data");
        Path pw = dir.resolve("pw");
        Files.writeString(pw, PASSWORD + "\n");
        Commands.run(List.of("chown", "-R", "postgres:postgres", dir.toString()), Map.of(), null);
        Commands.run(asPostgres(BIN + "initdb", "-D", data.toString(), "-U", "postgres", "--auth-host=scram-sha-256",
                "--auth-local=trust", "--pwfile=" + pw, "--no-sync", "--encoding=UTF8", "--locale=C"), Map.of(), null);
        int port = ServerProcess.freePort();
        ServerProcess p = ServerProcess.start("postgres", asPostgres(BIN + "postgres", "-D", data.toString(),
                        "-p", String.valueOf(port), "-k", dir.toString(), "-c", "listen_addresses=127.0.0.1",
                        "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"),
                dir, dir.resolve("postgres.log"), port, Duration.ofSeconds(30));
        return new PostgresServer(port, p);
    }

    /**
     * A private server (not the shared one) with extra {@code -c} settings, e.g. {@code archive_mode=on};
     * the caller stops it with {@link #stop()}.
     */
    public static PostgresServer startPrivate(String name, Map<String, String> settings) throws IOException {
        Path dir = Commands.dataDir(name);
        Path data = dir.resolve("data");
        Path pw = dir.resolve("pw");
        Files.writeString(pw, PASSWORD + "\n");
        Commands.run(List.of("chown", "-R", "postgres:postgres", dir.toString()), Map.of(), null);
        Commands.run(asPostgres(BIN + "initdb", "-D", data.toString(), "-U", "postgres", "--auth-host=scram-sha-256",
                "--auth-local=trust", "--pwfile=" + pw, "--no-sync", "--encoding=UTF8", "--locale=C"), Map.of(), null);
        return startOn(data, dir, settings);
    }

    /** Starts a server on an existing data directory (chowned to postgres here), e.g. a restored base backup. */
    public static PostgresServer startOn(Path data, Path socketDir, Map<String, String> settings) throws IOException {
        Files.createDirectories(socketDir);
        Commands.run(List.of("chown", "-R", "postgres:postgres", data.toString(), socketDir.toString()), Map.of(), null);
        int port = ServerProcess.freePort();
        List<String> cmd = new java.util.ArrayList<>(asPostgres(BIN + "postgres", "-D", data.toString(),
                "-p", String.valueOf(port), "-k", socketDir.toString(), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"));
        settings.forEach((k, v) -> cmd.addAll(List.of("-c", k + "=" + v)));
        ServerProcess p = ServerProcess.start("postgres", cmd, socketDir, socketDir.resolve("postgres-" + port + ".log"),
                port, Duration.ofSeconds(60));
        return new PostgresServer(port, p);
    }

    /** Stops a server made by {@link #startPrivate} or {@link #startOn}. */
    public void stop() {
        process.close();
    }

    /** Waits (up to a minute) until a server started on a recovered data directory has finished recovery and promoted. */
    public void awaitPromotion() throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            try {
                if ("f".equals(sql("postgres", "SELECT pg_is_in_recovery()"))) {
                    return;
                }
            } catch (IOException starting) {
                // "the database system is starting up" until recovery reaches consistency
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("recovered server did not promote" + logTail());
            }
            Thread.sleep(200);
        }
    }

    /** The server's log so far, for failure messages. */
    public String logTail() {
        return process.tail();
    }

    private static List<String> asPostgres(String... command) {
        List<String> c = new java.util.ArrayList<>(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups"));
        c.addAll(List.of(command));
        return c;
    }

    public int port() {
        return port;
    }

    /** Runs SQL in {@code database} as the superuser over TCP and returns psql's unaligned, tuples-only output. */
    public String sql(String database, String sql) throws IOException {
        return Commands.run(List.of("psql", "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "postgres", "-d", database,
                "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-f", "-"), Map.of("PGPASSWORD", PASSWORD), sql).trim();
    }

    /** A fresh, empty database with a unique name. */
    public String newDatabase(String prefix) throws IOException {
        String name = prefix + "_" + Long.toHexString(System.nanoTime());
        sql("postgres", "CREATE DATABASE " + name);
        return name;
    }

    /** A psql process reading SQL from its stdin, for writers that keep a session open. */
    public Process session(String database) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("psql", "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "postgres",
                "-d", database, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", "-")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("PGPASSWORD", PASSWORD);
        return pb.start();
    }

    /** Source options that reach {@code database} on this server. */
    public Options options(String database, Object... more) {
        Object[] base = {"host", "127.0.0.1", "port", port, "user", "postgres",
                "password", new Secret(PASSWORD, "test"), "database", database};
        Object[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return Options.of(all);
    }
}
