package dev.caravan.source.redis;

import dev.caravan.model.Options;
import dev.caravan.model.Secret;
import dev.caravan.model.SourceSpec;
import dev.caravan.source.Source;
import dev.caravan.source.SourceContract;
import dev.caravan.testing.RedisServer;
import dev.caravan.testing.ServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedisSourceTest extends SourceContract {
    private final List<RedisServer> servers = new ArrayList<>();
    private RedisServer origin;

    @AfterEach
    void stopServers() {
        servers.forEach(RedisServer::close);
    }

    private RedisServer server() throws IOException {
        RedisServer s = RedisServer.start();
        servers.add(s);
        return s;
    }

    static Source source(String name, Options options) {
        return new RedisSourceKind().create(new SourceSpec("redis", name, 1, options));
    }

    @Override
    protected Source sourceWithKnownData() throws IOException {
        origin = server();
        StringBuilder cmds = new StringBuilder("SET greeting \"hello\\nworld\"\nSET session:1 abc EX 3600\n"
                + "HSET player:7 name Zoë level 42\nRPUSH queue a b c\nSADD tags x y\nZADD scores 1.5 ann 3 bob\n");
        for (int i = 0; i < 1200; i++) {
            cmds.append("SET bulk:").append(i).append(" v").append(i).append('\n');
        }
        cmds.append("SELECT 3\nSET in-db-3 yes\n");
        origin.pipe(cmds.toString());
        return source("cache", origin.options());
    }

    @Override
    protected String freshTarget() throws IOException {
        return server().loginUrl();
    }

    @Override
    protected Object contents(String target) throws IOException {
        RedisConnection c = target == null ? RedisConnection.of(origin.options())
                : RedisConnection.target(target);
        Map<String, String> all = new TreeMap<>();
        try (RespClient r = c.connect("test")) {
            for (int db = 0; db < 16; db++) {
                r.call("SELECT", db);
                List<?> keys = (List<?>) r.call("KEYS", "*");
                for (Object k : keys) {
                    long ttl = (Long) r.call("PTTL", k);
                    all.put(db + "/" + text(k), value(r, k) + (ttl > 0 ? " expires" : ""));
                }
            }
        }
        return all;
    }

    /** The value in a form that does not depend on the server's hash seed (DUMP of a hashtable set does). */
    private static String value(RespClient r, Object key) throws IOException {
        String type = (String) r.call("TYPE", key);
        Object v = switch (type) {
            case "string" -> text(r.call("GET", key));
            case "list" -> texts(r.call("LRANGE", key, 0, -1));
            case "set" -> new java.util.TreeSet<>(texts(r.call("SMEMBERS", key)));
            case "hash" -> {
                List<String> kv = texts(r.call("HGETALL", key));
                Map<String, String> fields = new TreeMap<>();
                for (int i = 0; i < kv.size(); i += 2) {
                    fields.put(kv.get(i), kv.get(i + 1));
                }
                yield fields;
            }
            case "zset" -> texts(r.call("ZRANGE", key, 0, -1, "WITHSCORES"));
            default -> HexFormat.of().formatHex((byte[]) r.call("DUMP", key));
        };
        return type + ":" + v;
    }

    private static String text(Object bytes) {
        return new String((byte[]) bytes, StandardCharsets.UTF_8);
    }

    private static List<String> texts(Object list) {
        return ((List<?>) list).stream().map(RedisSourceTest::text).toList();
    }

    @Override
    protected Source unreachableSource() throws IOException {
        return source("gone", Options.of("host", "127.0.0.1", "port", ServerProcess.freePort()));
    }

    @Override
    protected String who() {
        return "redis 'cache'";
    }

    @Test
    void crc64_matches_the_redis_check_value() {
        byte[] b = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(RdbCheck.crc64(0, b, 0, b.length)).isEqualTo(0xe9c6d914c4b8d9caL);
    }

    @Test
    void a_restore_keeps_remaining_time_to_live() throws Exception {
        Source s = sourceWithKnownData();
        Path dump = dumpToFile(s);
        RedisServer target = server();
        try (InputStream in = Files.newInputStream(dump)) {
            s.restore(in, request(target.loginUrl(), false));
        }
        assertThat(Long.parseLong(target.cli("TTL", "session:1"))).isBetween(3500L, 3600L);
        assertThat(target.cli("TTL", "greeting")).isEqualTo("-1");
        assertThat(target.cli("HGET", "player:7", "name")).isEqualTo("Zoë");
    }

    @Test
    void a_forced_restore_into_the_origin_puts_back_changed_and_deleted_keys_and_drops_new_ones() throws Exception {
        Source s = sourceWithKnownData();
        Object before = contents(null);
        Path dump = dumpToFile(s);
        origin.cli("SET", "greeting", "changed");
        origin.cli("DEL", "queue");
        origin.cli("SET", "new-key", "1");
        try (InputStream in = Files.newInputStream(dump)) {
            s.restore(in, request(null, true));
        }
        assertThat(contents(null)).isEqualTo(before);
    }

    @Test
    void a_directory_target_gets_dump_rdb_and_it_is_not_overwritten_without_force() throws Exception {
        Source s = sourceWithKnownData();
        Path dump = dumpToFile(s);
        Path dir = scratch.resolve("rdb");
        try (InputStream in = Files.newInputStream(dump)) {
            s.restore(in, request(dir.toString(), false));
        }
        assertThat(Files.mismatch(dir.resolve("dump.rdb"), dump)).isEqualTo(-1L);
        assertThatThrownBy(() -> {
            try (InputStream in = Files.newInputStream(dump)) {
                s.restore(in, request(dir.toString(), false));
            }
        }).hasMessageContaining("already exists").hasMessageContaining("--force");
    }

    @Test
    void a_url_target_logs_in_as_the_url_says_never_with_the_sources_password() throws Exception {
        Source s = sourceWithKnownData();
        Path dump = dumpToFile(s);
        RedisServer open = RedisServer.start(null);
        servers.add(open);
        try (InputStream in = Files.newInputStream(dump)) {
            s.restore(in, request(open.url(), false));
        }
        assertThat(contents(open.url())).isEqualTo(contents(null));
        RedisServer other = RedisServer.start("another-pw");
        servers.add(other);
        assertThatThrownBy(() -> {
            try (InputStream in = Files.newInputStream(dump)) {
                s.restore(in, request(other.url(), false));
            }
        }).hasMessageStartingWith("redis 'cache': ").hasMessageContaining("NOAUTH")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(RedisServer.PASSWORD));
        try (InputStream in = Files.newInputStream(dump)) {
            s.restore(in, request("redis://:another-pw@127.0.0.1:" + other.port(), false));
        }
        assertThat(contents(other.loginUrl())).isEqualTo(contents(null));
    }

    @Test
    void a_wrong_password_fails_with_the_server_reason() throws Exception {
        RedisServer srv = server();
        Source s = source("cache", srv.options("password", new Secret("wrong-pw", "test")));
        assertThatThrownBy(() -> s.dump(OutputStream.nullOutputStream()))
                .hasMessageStartingWith("redis 'cache': redis-cli failed: ")
                .hasMessageContaining("WRONGPASS")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("wrong-pw"));
    }
}
