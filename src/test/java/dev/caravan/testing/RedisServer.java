package dev.caravan.testing;

import dev.caravan.model.Options;
import dev.caravan.model.Secret;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A Redis 7 server on 127.0.0.1 with {@link #PASSWORD}, no persistence, its own dir under target/. Starts in ~50 ms. */
public final class RedisServer implements AutoCloseable {
    public static final String PASSWORD = "redis-test-pw";

    private final int port;
    private final Path dir;
    private final ServerProcess process;
    private final String password;

    private RedisServer(int port, Path dir, ServerProcess process, String password) {
        this.port = port;
        this.dir = dir;
        this.process = process;
        this.password = password;
    }

    /** A server that requires {@link #PASSWORD}. */
    public static RedisServer start() throws IOException {
        return start(PASSWORD);
    }

    /** A server that requires {@code password}, or none when it is null. */
    public static RedisServer start(String password) throws IOException {
        Path dir = Commands.dataDir("redis");
        int port = ServerProcess.freePort();
        List<String> cmd = new ArrayList<>(List.of("redis-server", "--port", String.valueOf(port), "--bind",
                "127.0.0.1", "--dir", dir.toString(), "--save", "", "--appendonly", "no", "--repl-diskless-sync-delay", "0"));
        if (password != null) {
            cmd.addAll(List.of("--requirepass", password));
        }
        ServerProcess p = ServerProcess.start("redis", cmd, dir, dir.resolve("redis.log"), port, Duration.ofSeconds(20));
        return new RedisServer(port, dir, p, password);
    }

    public String password() {
        return password;
    }

    /** {@code redis://default:PW@127.0.0.1:PORT} (no userinfo when the server has no password): a {@code --to} target. */
    public String loginUrl() {
        return password == null ? url() : "redis://default:" + password + "@127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path dir() {
        return dir;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Runs one redis-cli command and returns its raw output. */
    public String cli(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", String.valueOf(port), "--no-auth-warning"));
        cmd.addAll(List.of(args));
        return Commands.run(cmd, auth(), null).trim();
    }

    /** Runs commands, one per line, through one redis-cli session. */
    public String pipe(String commands) throws IOException {
        return Commands.run(List.of("redis-cli", "-h", "127.0.0.1", "-p", String.valueOf(port), "--no-auth-warning"),
                auth(), commands).trim();
    }

    private Map<String, String> auth() {
        return password == null ? Map.of() : Map.of("REDISCLI_AUTH", password);
    }

    public Options options(Object... more) {
        Object[] base = password == null ? new Object[] {"host", "127.0.0.1", "port", port}
                : new Object[] {"host", "127.0.0.1", "port", port, "password", new Secret(password, "test")};
        Object[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return Options.of(all);
    }

    @Override
    public void close() {
        process.close();
    }
}
