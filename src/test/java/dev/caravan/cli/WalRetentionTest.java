package dev.caravan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.backup.WalSegment;
import dev.caravan.testing.Commands;
import dev.caravan.testing.PostgresServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention of archived WAL with a real PostgreSQL 15: each base backup records the segment it starts
 * from, and prune removes the segments (and {@code .backup} files) older than the start of the oldest
 * kept base backup, never anything a kept base backup needs, and nothing when that start is unknown.
 */
class WalRetentionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path tmp;
    PostgresServer pg;
    PostgresServer recovered;
    WalPushBridge bridge;
    Path plan;

    @BeforeEach
    void setUp() throws Exception {
        System.setProperty("caravan.state.dir", tmp.resolve("state").toString());
        System.setProperty("caravan.work.dir", tmp.resolve("work").toString());
        plan = tmp.resolve("plan.groovy");
        bridge = new WalPushBridge(plan, "app");
        pg = PostgresServer.startPrivate("pg-wal-retention", Map.of("wal_level", "replica", "archive_mode", "on",
                "archive_command", bridge.archiveCommand(), "archive_timeout", "0"));
        Files.writeString(tmp.resolve("pass.txt"), "wal retention passphrase\n");
        writePlan(2);
    }

    @AfterEach
    void tearDown() {
        if (recovered != null) {
            recovered.stop();
        }
        if (pg != null) {
            pg.stop();
        }
        bridge.close();
        System.clearProperty("caravan.state.dir");
        System.clearProperty("caravan.work.dir");
    }

    @Test
    void prune_removes_the_wal_that_only_pruned_base_backups_needed() throws Exception {
        pg.sql("postgres", "CREATE TABLE t (id int primary key, batch text); INSERT INTO t SELECT g, 'one' FROM generate_series(1, 100) g");
        String first = backup();
        String firstStart = walStart("nas", first);
        assertThat(firstStart).matches("[0-9A-F]{24}");
        pg.sql("postgres", "INSERT INTO t SELECT g, 'two' FROM generate_series(101, 150) g");
        WalPushBridge.switchWal(pg);
        WalPushBridge.awaitArchived(pg, WalPushBridge.switchWal(pg), 30_000);

        writePlan(1);
        TreeSet<String> before = files("nas");
        CliRunner.Result single = CliRunner.run("prune", plan.toString());
        assertThat(single.exit()).as(single.toString()).isZero();
        TreeSet<String> fromFirst = new TreeSet<>(before.tailSet(firstStart));
        assertThat(files("nas")).as("a single base backup keeps all WAL from its start on; only WAL archived before it goes")
                .isEqualTo(fromFirst).hasSizeGreaterThanOrEqualTo(4);
        assertThat(single.out()).doesNotContain("pruned " + first);

        writePlan(2);
        String second = backup();
        String secondStart = walStart("nas", second);
        assertThat(WalSegment.position(secondStart)).isGreaterThan(WalSegment.position(firstStart));
        pg.sql("postgres", "INSERT INTO t SELECT g, 'three' FROM generate_series(151, 170) g");
        Thread.sleep(300);
        String t = pg.sql("postgres", "SELECT clock_timestamp()::text");
        Thread.sleep(1000);
        pg.sql("postgres", "INSERT INTO t SELECT g, 'four' FROM generate_series(171, 180) g");
        WalPushBridge.awaitArchived(pg, WalPushBridge.switchWal(pg), 30_000);
        assertThat(bridge.failures).isEmpty();

        writePlan(1);
        byte[] manifest = Files.readAllBytes(manifest("nas", second));
        forgetWalStart("nas", second); // as if an older Caravan had written it: its start is unknown
        forgetWalStart("usb", second);
        CliRunner.Result unknown = CliRunner.run("prune", plan.toString(), "--dry-run");
        assertThat(unknown.exit()).as(unknown.toString()).isZero();
        assertThat(unknown.out()).as("no WAL goes while the oldest kept base backup's start is unknown").doesNotContain("WAL");
        Files.write(manifest("nas", second), manifest);
        Files.write(manifest("usb", second), manifest);

        TreeSet<String> nasBefore = files("nas");
        assertThat(files("usb")).isEqualTo(nasBefore);
        List<String> old = nasBefore.stream().filter(n -> n.substring(8, 24).compareTo(WalSegment.position(secondStart)) < 0).toList();
        assertThat(old).contains(firstStart).anyMatch(n -> n.matches(firstStart + "\\.[0-9A-F]{8}\\.backup"));

        CliRunner.Result dry = CliRunner.run("prune", plan.toString(), "--dry-run");
        assertThat(dry.exit()).as(dry.toString()).isZero();
        assertThat(dry.out()).contains("nas: would remove " + old.size() + " WAL files of app: " + old.get(0) + " .. ")
                .contains("(before " + secondStart + ", where the oldest kept base backup " + second + " starts)")
                .contains("usb: would remove " + old.size() + " WAL files of app");
        assertThat(files("nas")).isEqualTo(nasBefore);

        CliRunner.Result prune = CliRunner.run("prune", plan.toString());
        assertThat(prune.exit()).as(prune.toString()).isZero();
        assertThat(prune.out()).contains("pruned " + first).contains("nas: removed " + old.size() + " WAL files of app: " + old.get(0));
        TreeSet<String> expected = new TreeSet<>(nasBefore);
        old.forEach(expected::remove);
        assertThat(files("nas")).isEqualTo(expected).first().asString().startsWith(secondStart);
        assertThat(files("usb")).isEqualTo(expected);
        WalOutageTest.assertNoGap(WalOutageTest.segments(tmp.resolve("nas/db/wal/app")));

        Path dir = Commands.dataDir("pg-wal-retention-recovered");
        CliRunner.Result restore = CliRunner.run("restore", plan.toString(), "latest", "--from", "nas",
                "--to", dir.resolve("data").toString(), "--to-time", t);
        assertThat(restore.exit()).as(restore.toString()).isZero();
        recovered = PostgresServer.startOn(dir.resolve("data"), dir, Map.of("archive_mode", "off"));
        recovered.awaitPromotion();
        assertThat(recovered.sql("postgres", "SELECT batch || ':' || count(*) FROM t GROUP BY batch ORDER BY batch"))
                .isEqualTo("one:100\nthree:20\ntwo:50");
    }

    private void writePlan(int keepLast) throws Exception {
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
                    retention { keepLast %d }
                }
                """.formatted(pg.port(), PostgresServer.PASSWORD, tmp.resolve("pass.txt"), tmp.resolve("nas"), tmp.resolve("usb"), keepLast));
    }

    /** {@code caravan now}; returns the new backup's id once the WAL it ends in is archived. */
    private String backup() throws Exception {
        CliRunner.Result now = CliRunner.run("now", plan.toString());
        assertThat(now.exit()).as(now.toString()).isZero();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("backup (\\d{8}T\\d{6}Z)").matcher(now.out());
        assertThat(m.find()).as(now.toString()).isTrue();
        String id = m.group(1);
        WalPushBridge.awaitArchived(pg, WalPushBridge.switchWal(pg), 30_000);
        return id;
    }

    private Path manifest(String destination, String id) {
        return tmp.resolve(destination).resolve("db").resolve(id).resolve("manifest.json");
    }

    private String walStart(String destination, String id) throws Exception {
        JsonNode m = JSON.readTree(manifest(destination, id).toFile());
        return m.path("objects").get(0).path("walStart").asText(null);
    }

    private void forgetWalStart(String destination, String id) throws Exception {
        Path file = manifest(destination, id);
        JsonNode m = JSON.readTree(file.toFile());
        ((ObjectNode) m.path("objects").get(0)).remove("walStart");
        JSON.writeValue(file.toFile(), m);
    }

    /** The WAL file names (segments, .backup and .history) stored at a destination, sorted. */
    private TreeSet<String> files(String destination) throws Exception {
        try (Stream<Path> s = Files.list(tmp.resolve(destination).resolve("db/wal/app"))) {
            return s.map(p -> WalSegment.nameOf(p.getFileName().toString())).collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        }
    }

}
