package dev.caravan.drill;

import dev.caravan.cli.CliRunner;
import dev.caravan.testing.PostgresServer;
import dev.caravan.testing.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code caravan drill} against a real PostgreSQL and Redis plus a files source: back up with
 * {@code now}, restore into scratch targets, check, and leave no scratch database behind.
 */
class DrillEndToEndTest {
    private static final String SCRATCH_DBS = "SELECT count(*) FROM pg_database WHERE datname LIKE 'caravan\\_drill\\_%'";

    @TempDir
    Path tmp;
    PostgresServer pg;
    RedisServer redis;
    String database;
    Path tree;
    Path nas;

    @BeforeEach
    void setUp() throws Exception {
        System.setProperty("caravan.state.dir", tmp.resolve("state").toString());
        System.setProperty("caravan.work.dir", tmp.resolve("work").toString());
        pg = PostgresServer.shared();
        database = pg.newDatabase("drill");
        pg.sql(database, "CREATE TABLE characters (id int PRIMARY KEY, name text);"
                + " INSERT INTO characters VALUES (1, 'ayla'), (2, 'bram'), (3, 'cyd');");
        redis = RedisServer.start();
        redis.pipe("SET a 1\nSET b 2\nHSET h f v\n");
        tree = tmp.resolve("tree");
        Files.createDirectories(tree.resolve("sub"));
        for (int i = 0; i < 5; i++) {
            Files.writeString(tree.resolve("sub/f" + i + ".txt"), "file " + i + "\n");
        }
        nas = tmp.resolve("nas");
    }

    @AfterEach
    void tearDown() {
        redis.close();
        System.clearProperty("caravan.state.dir");
        System.clearProperty("caravan.work.dir");
    }

    private Path plan(long atLeastCharacters) throws IOException {
        Path pgPw = tmp.resolve("pg.pw");
        Files.writeString(pgPw, PostgresServer.PASSWORD);
        Path redisPw = tmp.resolve("redis.pw");
        Files.writeString(redisPw, RedisServer.PASSWORD);
        Path pass = tmp.resolve("pass");
        Files.writeString(pass, "drill-test-passphrase");
        Path p = tmp.resolve("plan.groovy");
        Files.writeString(p, """
                backup('game') {
                    sources {
                        postgres('app') { host '127.0.0.1'; port %d; user 'postgres'; password secret('%s'); database '%s' }
                        redis('cache') { host '127.0.0.1'; port %d; password secret('%s') }
                        files('docs') { path '%s' }
                    }
                    compress 'zstd'
                    encrypt passphrase: secret('%s')
                    destinations { local('nas') { path '%s' } }
                    drill {
                        schedule '@weekly'
                        check('app', "select count(*) from characters") { atLeast %d }
                        check('cache', 'dbsize') { equals 3 }
                        check('docs', files: true) { equals 5 }
                    }
                }
                """.formatted(pg.port(), pgPw, database, redis.port(), redisPw, tree, pass, nas, atLeastCharacters));
        return p;
    }

    @Test
    void a_drill_restores_every_source_into_scratch_targets_and_passes_its_checks() throws Exception {
        Path plan = plan(1);
        CliRunner.Result now = CliRunner.run("now", plan.toString());
        assertThat(now.exit()).as(now.toString()).isZero();

        CliRunner.Result drill = CliRunner.run("drill", plan.toString());

        assertThat(drill.exit()).as(drill.toString()).isZero();
        assertThat(drill.out())
                .containsPattern("app: restored in [0-9.]+s from nas: check 'select count\\(\\*\\) from characters' = 3 \\(atLeast 1\\) PASS")
                .containsPattern("cache: restored in [0-9.]+s from nas: check 'dbsize' = 3 \\(equals 3\\) PASS")
                .containsPattern("docs: restored in [0-9.]+s from nas: check 'files' = 5 \\(equals 5\\) PASS")
                .contains("drill passed");
        assertThat(pg.sql("postgres", SCRATCH_DBS)).isEqualTo("0");
        assertThat(redis.cli("dbsize")).as("the source server is untouched").isEqualTo("3");
    }

    @Test
    void a_failing_check_fails_the_drill_and_still_drops_the_scratch_database() throws Exception {
        Path plan = plan(1000);
        assertThat(CliRunner.run("now", plan.toString()).exit()).isZero();

        CliRunner.Result drill = CliRunner.run("drill", plan.toString(), "--json");

        assertThat(drill.exit()).as(drill.toString()).isEqualTo(1);
        assertThat(drill.out()).contains("\"expected\" : \"atLeast 1000\"").contains("\"actual\" : 3")
                .contains("\"passed\" : false");
        assertThat(pg.sql("postgres", SCRATCH_DBS)).isEqualTo("0");
    }

    @Test
    void a_stored_object_that_does_not_match_its_manifest_fails_the_drill() throws Exception {
        Path plan = plan(1);
        assertThat(CliRunner.run("now", plan.toString()).exit()).isZero();
        Path docs;
        try (Stream<Path> s = Files.walk(nas)) {
            docs = s.filter(f -> f.getFileName().toString().startsWith("docs.tar")).findFirst().orElseThrow();
        }
        try (RandomAccessFile f = new RandomAccessFile(docs.toFile(), "rw")) {
            f.seek(f.length() - 1);
            int b = f.read();
            f.seek(f.length() - 1);
            f.write(b ^ 0x01);
        }

        CliRunner.Result drill = CliRunner.run("drill", plan.toString());

        assertThat(drill.exit()).as(drill.toString()).isEqualTo(1);
        assertThat(drill.out()).contains("docs: FAILED from nas").contains("drill FAILED");
    }
}
