package dev.caravan.source.redis;

import dev.caravan.model.Options;
import dev.caravan.source.RestoreRequest;
import dev.caravan.source.Source;
import dev.caravan.source.tool.DumpFiles;
import dev.caravan.source.tool.Tool;
import dev.caravan.source.tool.ToolRun;
import dev.caravan.spi.Rules;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Redis server through {@code redis-cli --rdb -}: the server forks and writes a point-in-time
 * RDB snapshot, the same file BGSAVE would write, streamed to the dump without touching its disk.
 * The stream is checked (header, CRC-64) as it passes, so a cut-off transfer fails the dump.
 */
public final class RedisSource implements Source {
    private static final String HINT = "apt-get install redis-tools";

    private final String name;
    private final String who;
    private final RedisConnection connection;

    public RedisSource(String name, Options options) {
        this.name = name;
        this.who = "redis '" + name + "'";
        Rules.refuse(who, RedisSourceKind.rules(options));
        this.connection = RedisConnection.of(options);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String extension() {
        return "rdb";
    }

    @Override
    public String toolVersion() {
        return Tool.find("redis-cli").map(Tool::version).orElse("redis-cli (not installed)");
    }

    @Override
    public void dump(OutputStream out) throws IOException {
        Path cli = Tool.require(who, HINT, "redis-cli");
        List<String> cmd = new ArrayList<>(List.of(cli.toString(), "-h", connection.host(), "-p", String.valueOf(connection.port())));
        if (connection.user() != null) {
            cmd.addAll(List.of("--user", connection.user()));
        }
        cmd.addAll(List.of("--no-auth-warning", "--rdb", "-"));
        RdbCheck rdb = new RdbCheck(who, out);
        ToolRun.of(who, cmd).env("REDISCLI_AUTH", connection.password()).stdout(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                rdb.write(b, off, len);
            }
        }).run();
        rdb.finish();
    }

    /** Checks the RDB header, end marker and CRC-64. */
    @Override
    public void readThrough(InputStream in) throws IOException {
        RdbCheck.check(who, in);
    }

    /**
     * {@code --to DIR}: writes {@code DIR/dump.rdb} (stop redis, put it in its dir, start it).
     * {@code --to redis://host:port} or no target (the configured server): loads the keys into the
     * running server through a temporary redis-server, see {@link RedisLoader}.
     */
    @Override
    public void restore(InputStream in, RestoreRequest request) throws IOException {
        String target = request.target();
        if (target != null && !target.startsWith("redis://")) {
            if (!DumpFiles.isDirectory(target)) {
                throw new IOException(who + ": restore target '" + target + "' is neither a directory nor a redis://host:port URL");
            }
            Path file = Path.of(target).resolve("dump.rdb");
            request.log().accept(who + ": " + (request.dryRun() ? "would write " : "writing ") + file
                    + " (load it by stopping redis, placing it as its dbfilename in its dir, and starting it)");
            if (!request.dryRun()) {
                DumpFiles.write(who, in, file, request.force());
            }
            return;
        }
        RedisConnection to;
        try {
            to = target == null ? connection : RedisConnection.target(target);
        } catch (IllegalArgumentException e) {
            throw new IOException(who + ": " + e.getMessage(), e);
        }
        long keys = new RedisLoader(who).load(in, to, request.force(), request.dryRun(), request.log());
        if (!request.dryRun()) {
            request.log().accept(who + ": loaded " + keys + " keys into " + to.describe());
        }
    }
}
