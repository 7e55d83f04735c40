package dev.caravan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.testing.PostgresServer;
import dev.caravan.testing.RedisServer;
import dev.caravan.testing.StockTools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every database kind with {@code dedup true}, against real servers: a PostgreSQL plain dump, a Redis
 * RDB, a SQLite snapshot and a command's output are chunked, backed up twice, drilled (restored into
 * scratch targets through the chunk reader, with checks), verified deep, and the PostgreSQL dump is
 * loaded with stock tools only (the chunk loop of docs/dedup.md into psql).
 */
class DedupSourcesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    PostgresServer pg;
    RedisServer redis;
    String database;
    Path sqlite;
    Path blob;
    Path nas;
    Path identity;

    @BeforeEach
    void setUp() throws Exception {
        System.setProperty("caravan.state.dir", tmp.resolve("state").toString());
        System.setProperty("caravan.work.dir", tmp.resolve("work").toString());
        pg = PostgresServer.shared();
        database = pg.newDatabase("dedup");
        pg.sql(database, "CREATE TABLE events (id int PRIMARY KEY, payload text);"
                + " INSERT INTO events SELECT g, md5(g::text) || repeat('x', 200) FROM generate_series(1, 20000) g;");
        redis = RedisServer.start();
        redis.pipe("SET a 1\nSET b 2\nHSET h f v\n");
        sqlite = tmp.resolve("notes.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + sqlite); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)");
            s.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)"
                    + " INSERT INTO notes SELECT i, printf('note %d %s', i, hex(randomblob(40))) FROM n");
        }
        blob = tmp.resolve("blob.bin");
        byte[] b = new byte[1_500_000];
        new Random(5).nextBytes(b);
        Files.write(blob, b);
        nas = tmp.resolve("nas");
        identity = tmp.resolve("key.txt");
        StockTools.run(List.of("age-keygen", "-o", identity.toString()), null, null);
    }

    @AfterEach
    void tearDown() throws Exception {
        redis.close();
        pg.sql("postgres", "DROP DATABASE IF EXISTS " + database);
        System.clearProperty("caravan.state.dir");
        System.clearProperty("caravan.work.dir");
    }

    private Path plan(int events) throws Exception {
        Path pgPw = Files.writeString(tmp.resolve("pg.pw"), PostgresServer.PASSWORD);
        Path redisPw = Files.writeString(tmp.resolve("redis.pw"), RedisServer.PASSWORD);
        String recipient = StockTools.run(List.of("age-keygen", "-y", identity.toString()), null, null).strip();
        Path p = tmp.resolve("plan.groovy");
        Files.writeString(p, """
                backup('game') {
                    sources {
                        postgres('app') { host '127.0.0.1'; port %d; user 'postgres'; password secret('%s'); database '%s'; format 'plain' }
                        redis('cache') { host '127.0.0.1'; port %d; password secret('%s') }
                        sqlite('notes') { path '%s' }
                        command('blob') { run 'cat', '%s'; extension 'bin' }
                    }
                    compress 'zstd'
                    encrypt age: '%s'
                    dedup true
                    destinations { local('nas') { path '%s' } }
                    drill {
                        schedule '@weekly'
                        check('app', "select count(*) from events") { equals %d }
                        check('cache', 'dbsize') { equals 3 }
                        check('notes', "select count(*) from notes") { equals 5000 }
                    }
                }
                """.formatted(pg.port(), pgPw, database, redis.port(), redisPw, sqlite, blob, recipient, nas, events));
        return p;
    }

    private static CliRunner.Result ok(String... args) {
        CliRunner.Result r = CliRunner.run(args);
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    @Test
    void every_kind_round_trips_chunked_and_the_second_backup_reuses_most_chunks() throws Exception {
        ok("now", plan(20000).toString());
        pg.sql(database, "UPDATE events SET payload = 'changed' WHERE id BETWEEN 100 AND 150; INSERT INTO events VALUES (20001, 'new')");
        Path plan = plan(20001);
        ok("now", plan.toString());
        List<String> ids;
        try (Stream<Path> s = Files.list(nas.resolve("game"))) {
            ids = s.map(x -> x.getFileName().toString()).filter(n -> !n.equals("chunks")).sorted().toList();
        }
        JsonNode second = JSON.readTree(nas.resolve("game/" + ids.get(1) + "/manifest.json").toFile());
        for (JsonNode e : second.get("objects")) {
            assertThat(e.get("chunks")).as(e.get("source").asText()).isNotEmpty();
        }
        JsonNode app = second.get("objects").get(0);
        assertThat(app.get("object").asText()).isEqualTo("app.sql");
        assertThat(app.get("newBytes").asLong()).as("the changed rows' chunks only").isLessThan(app.get("bytes").asLong());
        JsonNode blobEntry = second.get("objects").get(3);
        assertThat(blobEntry.get("newBytes").asLong()).as("an unchanged command output stores nothing new").isZero();

        CliRunner.Result drill = ok("drill", plan.toString(), "--identity", identity.toString());
        assertThat(drill.out()).contains("check 'select count(*) from events' = 20001").contains("check 'dbsize' = 3")
                .contains("check 'select count(*) from notes' = 5000").contains("drill passed");

        ok("verify", plan.toString(), "all", "--deep", "--identity", identity.toString());

        Path out = Files.createDirectories(tmp.resolve("out"));
        ok("restore", plan.toString(), "latest", "--only", "blob", "--to", out.toString(), "--identity", identity.toString());
        try (Stream<Path> s = Files.list(out)) {
            Path restored = s.findFirst().orElseThrow();
            assertThat(Files.mismatch(restored, blob)).isEqualTo(-1L);
        }

        // the PostgreSQL plain dump with stock tools only: the docs' chunk loop, into psql
        String target = pg.newDatabase("stock");
        String loop = DedupTest.docRecipe().replace("| tar -x -C \"$OUT\"", "| psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p \"$PGPORT\" -U postgres -d \"$DB\"");
        StockTools.run(List.of("bash", "-o", "pipefail", "-c", loop), null, null, Map.of("PLAN_DIR", nas.resolve("game").toString(),
                "ID", ids.get(1), "SOURCE", "app", "KEY", identity.toString(), "PGPORT", String.valueOf(pg.port()),
                "DB", target, "PGPASSWORD", PostgresServer.PASSWORD));
        assertThat(pg.sql(target, "select count(*) from events")).isEqualTo("20001");
        pg.sql("postgres", "DROP DATABASE " + target);
    }
}
