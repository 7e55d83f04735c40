package dev.caravan.cli;

import dev.caravan.testing.Commands;
import dev.caravan.testing.PostgresServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Continuous archiving against a real PostgreSQL 15: base backup with {@code caravan now}, WAL shipped
 * with {@code caravan wal-push}, then {@code restore --to-time} into a new data directory that a second
 * server recovers and opens with exactly the rows committed before the target time. The server's
 * archive_command copies segments into a spool directory and the test runs wal-push in-process for each
 * (a JVM per segment would be slow); in production archive_command calls wal-push directly.
 */
class PointInTimeRecoveryTest {
    @TempDir
    Path tmp;
    PostgresServer pg;
    PostgresServer recovered;
    Path spool;
    Path plan;
    final Set<String> pushed = new HashSet<>();

    @BeforeEach
    void setUp() throws Exception {
        System.setProperty("caravan.state.dir", tmp.resolve("state").toString());
        System.setProperty("caravan.work.dir", tmp.resolve("work").toString());
        spool = Commands.dataDir("pg-wal-spool");
        Commands.run(List.of("chown", "postgres:postgres", spool.toString()), Map.of(), null);
        pg = PostgresServer.startPrivate("pg-archiving", Map.of("wal_level", "replica", "archive_mode", "on",
                "archive_command", "cp %p " + spool + "/%f", "archive_timeout", "0"));
        Files.writeString(tmp.resolve("pass.txt"), "pitr test passphrase\n");
        plan = tmp.resolve("plan.groovy");
        Files.writeString(plan, """
                backup('db') {
                    sources {
                        postgres('app') { host '127.0.0.1'; port %d; user 'postgres'; password '%s'; database 'postgres'; continuous true }
                    }
                    compress 'zstd', level: 3
                    encrypt passphrase: secret('%s')
                    destinations {
                        local('nas') { path '%s' }
                        local('usb') { path '%s' }
                    }
                    retention { keepLast 3 }
                }
                """.formatted(pg.port(), PostgresServer.PASSWORD, tmp.resolve("pass.txt"), tmp.resolve("nas"), tmp.resolve("usb")));
    }

    @AfterEach
    void tearDown() {
        if (recovered != null) {
            recovered.stop();
        }
        if (pg != null) {
            pg.stop();
        }
        System.clearProperty("caravan.state.dir");
        System.clearProperty("caravan.work.dir");
    }

    @Test
    void restore_to_time_recovers_exactly_the_rows_committed_before_it() throws Exception {
        pg.sql("postgres", "CREATE TABLE t (id int primary key, batch text); INSERT INTO t SELECT g, 'one' FROM generate_series(1, 100) g");
        CliRunner.Result now = CliRunner.run("now", plan.toString());
        assertThat(now.exit()).as(now.toString()).isZero();
        pg.sql("postgres", "INSERT INTO t SELECT g, 'two' FROM generate_series(101, 150) g");
        Thread.sleep(300);
        String t = pg.sql("postgres", "SELECT clock_timestamp()::text");
        Thread.sleep(1000);
        pg.sql("postgres", "INSERT INTO t SELECT g, 'three' FROM generate_series(151, 170) g");
        shipWalThroughSwitch();

        Path recoveredDir = Commands.dataDir("pg-recovered"); // under target/: the postgres user cannot enter @TempDir
        Path target = recoveredDir.resolve("data");
        CliRunner.Result restore = CliRunner.run("restore", plan.toString(), "latest", "--to", target.toString(), "--to-time", t);
        assertThat(restore.exit()).as(restore.toString()).isZero();
        assertThat(restore.out()).contains("recovery.signal written").contains("pg_ctl -D");
        assertThat(target.resolve("recovery.signal")).exists();
        assertThat(Files.readString(target.resolve("postgresql.auto.conf"))).contains("recovery_target_time = '" + t + "'");

        recovered = PostgresServer.startOn(target, recoveredDir, Map.of());
        recovered.awaitPromotion();
        assertThat(recovered.sql("postgres", "SELECT batch || ':' || count(*) FROM t GROUP BY batch ORDER BY batch"))
                .isEqualTo("one:100\ntwo:50");
    }

    @Test
    void wal_is_stored_beside_backups_and_is_not_taken_for_a_backup() throws Exception {
        pg.sql("postgres", "CREATE TABLE w (id int)");
        shipWalThroughSwitch();
        try (Stream<Path> s = Files.list(tmp.resolve("nas/db/wal/app"))) {
            assertThat(s.map(p -> p.getFileName().toString()).toList())
                    .isNotEmpty().allMatch(n -> n.matches("[0-9A-F]{24}\\.zst\\.age"));
        }
        CliRunner.Result list = CliRunner.run("list", plan.toString());
        assertThat(list.exit()).as(list.toString()).isZero();
        assertThat(list.out()).doesNotContain("wal");
        CliRunner.Result prune = CliRunner.run("prune", plan.toString());
        assertThat(prune.exit()).as(prune.toString()).isZero();
        assertThat(tmp.resolve("nas/db/wal/app")).isNotEmptyDirectory();
    }

    @Test
    void wal_push_fails_when_a_destination_cannot_take_the_segment() throws Exception {
        Files.writeString(tmp.resolve("usb"), "a file where the destination directory should be");
        Path segment = tmp.resolve("000000010000000000000042");
        Files.write(segment, new byte[16 * 1024]);
        CliRunner.Result r = CliRunner.run("wal-push", plan.toString(), "--source", "app", segment.toString(), segment.getFileName().toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("wal-push 000000010000000000000042 to usb failed");
        assertThat(tmp.resolve("nas/db/wal/app/000000010000000000000042.zst.age")).exists();
    }

    @Test
    void restore_to_time_refuses_a_time_it_cannot_read() {
        CliRunner.Result r = CliRunner.run("restore", plan.toString(), "latest", "--to", tmp.resolve("x").toString(), "--to-time", "yesterday noon");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--to-time 'yesterday noon' is not a time");
    }

    /** Switches WAL, waits until the archiver copied the segment into the spool, then wal-pushes every new file. */
    private void shipWalThroughSwitch() throws Exception {
        String segment = pg.sql("postgres", "SELECT pg_walfile_name(pg_switch_wal())");
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!Files.exists(spool.resolve(segment))) {
            assertThat(System.nanoTime()).as("archiver did not archive " + segment + pg.logTail()).isLessThan(deadline);
            Thread.sleep(100);
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(spool)) {
            files = s.sorted().toList();
        }
        for (Path f : files) {
            if (pushed.add(f.getFileName().toString())) {
                CliRunner.Result r = CliRunner.run("wal-push", plan.toString(), "--source", "app", f.toString(), f.getFileName().toString());
                assertThat(r.exit()).as(r.toString()).isZero();
            }
        }
    }

}
