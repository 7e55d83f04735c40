package dev.caravan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.backup.WalSegment;
import dev.caravan.service.Metrics;
import dev.caravan.source.postgres.PostgresSource;
import dev.caravan.testing.Commands;
import dev.caravan.testing.PostgresServer;
import dev.caravan.testing.S3ProxyServer;
import dev.caravan.wal.WalLag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A destination goes down while a real PostgreSQL 15 ships WAL through {@code caravan wal-push} to a
 * local disk and S3Proxy: the archiver's pushes fail, PostgreSQL keeps the segments, the WAL lag rises
 * (in {@code status --json} and in the {@code caravan_wal_lag_seconds} gauge); once the destination is
 * back the archiver catches up, the lag falls to about zero, both destinations hold every segment with
 * no gap, and a restore from the destination that was down recovers to a time after the outage.
 */
class WalOutageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path tmp;
    S3ProxyServer s3;
    PostgresServer pg;
    PostgresServer recovered;
    WalPushBridge bridge;
    Path plan;

    @BeforeEach
    void setUp() throws Exception {
        System.setProperty("caravan.state.dir", tmp.resolve("state").toString());
        System.setProperty("caravan.work.dir", tmp.resolve("work").toString());
        s3 = S3ProxyServer.start(Commands.dataDir("wal-outage-s3"), "wal");
        plan = tmp.resolve("plan.groovy");
        bridge = new WalPushBridge(plan, "app");
        pg = PostgresServer.startPrivate("pg-wal-outage", Map.of("wal_level", "replica", "archive_mode", "on",
                "archive_command", bridge.archiveCommand(), "archive_timeout", "0"));
        Files.writeString(tmp.resolve("pass.txt"), "wal outage passphrase\n");
        Files.writeString(plan, """
                backup('db') {
                    sources {
                        postgres('app') { host '127.0.0.1'; port %d; user 'postgres'; password '%s'; database 'postgres'; continuous true }
                    }
                    compress 'zstd', level: 3
                    encrypt passphrase: secret('%s')
                    destinations {
                        local('nas') { path '%s' }
                        s3('cloud')  { bucket 'wal'; region 'us-east-1'; endpoint '%s'; accessKey '%s'; secretKey '%s'; retries 0 }
                    }
                    retention { keepLast 3 }
                }
                """.formatted(pg.port(), PostgresServer.PASSWORD, tmp.resolve("pass.txt"), tmp.resolve("nas"), s3.endpoint(),
                S3ProxyServer.IDENTITY, S3ProxyServer.CREDENTIAL));
    }

    @AfterEach
    void tearDown() {
        for (AutoCloseable c : new AutoCloseable[] {recovered == null ? null : recovered::stop, pg == null ? null : pg::stop, bridge, s3}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // keep closing the rest
            }
        }
        System.clearProperty("caravan.state.dir");
        System.clearProperty("caravan.work.dir");
    }

    @Test
    void a_destination_outage_loses_no_segment_and_the_lag_rises_then_recovers() throws Exception {
        pg.sql("postgres", "CREATE TABLE t (id int primary key, batch text); INSERT INTO t SELECT g, 'before' FROM generate_series(1, 100) g");
        CliRunner.Result now = CliRunner.run("now", plan.toString());
        assertThat(now.exit()).as(now.toString()).isZero();
        WalPushBridge.awaitArchived(pg, WalPushBridge.switchWal(pg), 30_000);
        assertThat(lagSeconds()).as("lag while both destinations take WAL").isLessThan(5);

        s3.kill();
        pg.sql("postgres", "INSERT INTO t SELECT g, 'outage' FROM generate_series(101, 150) g");
        String stuck = WalPushBridge.switchWal(pg);
        pg.sql("postgres", "INSERT INTO t SELECT g, 'outage' FROM generate_series(151, 200) g");
        String alsoStuck = WalPushBridge.switchWal(pg);
        awaitFailure(stuck);
        assertThat(bridge.failures).anyMatch(f -> f.startsWith(stuck + ": caravan: wal-push " + stuck + " to cloud failed"));
        assertThat(pg.sql("postgres", "SELECT name FROM pg_ls_archive_statusdir() WHERE name LIKE '%.ready' ORDER BY name"))
                .as("PostgreSQL keeps the segments the archive did not take").contains(stuck + ".ready", alsoStuck + ".ready");
        double first = lagSeconds();
        Metrics metrics = new Metrics(Clock.systemUTC());
        metrics.walLag(WalLag.measure("db", "app", new PostgresSource("app", pg.options("postgres", "continuous", true))));
        double gauge = gauge(metrics);
        Thread.sleep(1500);
        double later = lagSeconds();
        assertThat(first).isGreaterThan(0);
        assertThat(later).as("the lag keeps rising while the destination is down").isGreaterThan(first + 1);
        assertThat(gauge(metrics)).as("the gauge rises between measurements").isGreaterThan(gauge + 1);
        assertThat(statusWal().path("pendingBytes").asLong()).isGreaterThanOrEqualTo(2 * 16L * 1024 * 1024);

        s3.start();
        pg.sql("postgres", "INSERT INTO t SELECT g, 'after' FROM generate_series(201, 250) g");
        Thread.sleep(300);
        String t = pg.sql("postgres", "SELECT clock_timestamp()::text");
        Thread.sleep(1000);
        pg.sql("postgres", "INSERT INTO t SELECT g, 'too-late' FROM generate_series(251, 260) g");
        String last = WalPushBridge.switchWal(pg); // also wakes the archiver, which waits a minute after failing thrice
        WalPushBridge.awaitArchived(pg, last, 40_000);
        assertThat(lagSeconds()).as("lag once the archiver caught up").isLessThan(5);
        assertThat(statusWal().has("lastFailed")).isFalse();

        TreeSet<String> atNas = segments(tmp.resolve("nas/db/wal/app"));
        TreeSet<String> atCloud = segments(s3.dataDir().resolve("wal/db/wal/app"));
        assertThat(atCloud).isEqualTo(atNas).contains(stuck, alsoStuck, last);
        assertNoGap(atNas);

        Path dir = Commands.dataDir("pg-wal-outage-recovered");
        CliRunner.Result restore = CliRunner.run("restore", plan.toString(), "latest", "--from", "cloud",
                "--to", dir.resolve("data").toString(), "--to-time", t);
        assertThat(restore.exit()).as(restore.toString()).isZero();
        recovered = PostgresServer.startOn(dir.resolve("data"), dir, Map.of("archive_mode", "off"));
        recovered.awaitPromotion();
        assertThat(recovered.sql("postgres", "SELECT batch || ':' || count(*) FROM t GROUP BY batch ORDER BY batch"))
                .isEqualTo("after:50\nbefore:100\noutage:100");
    }

    /** The WAL lag of source app in {@code caravan status --json}. */
    private double lagSeconds() throws Exception {
        JsonNode wal = statusWal();
        assertThat(wal.has("lagSeconds")).as(wal.toString()).isTrue();
        return wal.get("lagSeconds").asDouble();
    }

    private JsonNode statusWal() throws Exception {
        CliRunner.Result r = CliRunner.run("status", plan.toString(), "--json"); // exit 1 while S3 is down
        JsonNode wal = JSON.readTree(r.out()).path("wal");
        assertThat(wal.size()).as(r.toString()).isEqualTo(1);
        assertThat(wal.get(0).path("source").asText()).isEqualTo("app");
        return wal.get(0);
    }

    private static double gauge(Metrics metrics) {
        Matcher m = Pattern.compile("caravan_wal_lag_seconds\\{plan=\"db\",source=\"app\",?} (\\S+)").matcher(metrics.scrape());
        assertThat(m.find()).as(metrics.scrape()).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private void awaitFailure(String segment) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!pg.sql("postgres", "SELECT coalesce(last_failed_wal, '') FROM pg_stat_archiver").equals(segment)) {
            assertThat(System.currentTimeMillis()).as("no failed push of " + segment + pg.logTail()).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** The WAL segment names (not history or backup files) stored in a destination's WAL directory. */
    static TreeSet<String> segments(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> WalSegment.nameOf(p.getFileName().toString()))
                    .filter(n -> n != null && n.length() == 24).collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        }
    }

    /** Consecutive segment numbers on one timeline (16 MiB segments: 256 per log file). */
    static void assertNoGap(TreeSet<String> segments) {
        List<String> list = List.copyOf(segments);
        for (int i = 1; i < list.size(); i++) {
            long a = Long.parseLong(list.get(i - 1).substring(8), 16);
            long b = Long.parseLong(list.get(i).substring(8), 16);
            long next = (a & 0xFF) == 0xFF ? ((a >>> 32) + 1) << 32 : a + 1;
            assertThat(b).as("segment after " + list.get(i - 1) + " in " + segments).isEqualTo(next);
        }
    }

}
