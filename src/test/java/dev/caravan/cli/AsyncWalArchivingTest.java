package dev.caravan.cli;

import com.sun.net.httpserver.HttpServer;
import dev.caravan.dsl.PlanLoader;
import dev.caravan.pipeline.EngineSettings;
import dev.caravan.pipeline.ProgressListener;
import dev.caravan.service.Service;
import dev.caravan.testing.Commands;
import dev.caravan.testing.PostgresServer;
import dev.caravan.wal.WalSpool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Asynchronous WAL archiving against a real PostgreSQL 15: its {@code archive_command} is the shell
 * spooler {@code jbang/caravan-wal-spool} (no JVM), the service (in this JVM) ships the spool through
 * the one write path. A point-in-time restore through that path is exact; a full spool refuses (the
 * archiver fails and keeps the segment in pg_wal), the service started later alerts and catches up; a
 * shipper SIGKILLed mid-ship loses nothing; {@code wal-push} with a spool and no service ships itself.
 */
class AsyncWalArchivingTest {
    static final Path SPOOLER = Path.of("jbang", "caravan-wal-spool").toAbsolutePath();
    static PostgresServer pg;
    static Path spool;

    @TempDir
    Path tmp;
    Path plan;
    Service service;
    HttpServer webhook;
    final List<String> alerts = new CopyOnWriteArrayList<>();
    final List<Process> children = new ArrayList<>();

    @BeforeAll
    static void startServer() throws IOException {
        spool = Commands.dataDir("wal-spool"); // under target/: the postgres user cannot enter @TempDir
        Commands.run(List.of("chown", "postgres:postgres", spool.toString()), Map.of(), null);
        pg = PostgresServer.startPrivate("pg-async-wal", Map.of("wal_level", "replica", "archive_mode", "on",
                "archive_command", SPOOLER + " " + spool + " %p %f", "archive_timeout", "0"));
    }

    @AfterAll
    static void stopServer() {
        if (pg != null) {
            pg.stop();
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        System.setProperty("caravan.state.dir", tmp.resolve("state").toString());
        System.setProperty("caravan.work.dir", tmp.resolve("work").toString());
        // the archiver has nothing pending and the spool is empty: what earlier tests left is not this test's
        WalPushBridge.awaitArchived(pg, WalPushBridge.switchWal(pg), 30_000);
        try (Stream<Path> s = Files.list(spool)) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/alert", ex -> {
            alerts.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        webhook.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        children.forEach(Process::destroyForcibly);
        if (service != null) {
            service.close();
        }
        webhook.stop(0);
        System.clearProperty("caravan.state.dir");
        System.clearProperty("caravan.work.dir");
    }

    private void plan(String limit, int parallel) throws IOException {
        plan = tmp.resolve("plan.groovy");
        Files.writeString(plan, """
                backup('db') {
                    sources {
                        postgres('app') { host '127.0.0.1'; port %d; user 'postgres'; password '%s'; database 'postgres'; continuous true
                                          walSpool '%s'; walSpoolLimit '%s'; walParallel %d }
                    }
                    compress 'zstd', level: 3
                    destinations {
                        local('nas') { path '%s' }
                        local('usb') { path '%s' }
                    }
                    retention { keepLast 3 }
                    alerts { webhook 'http://127.0.0.1:%d/alert' }
                }
                service { catchUp false }
                """.formatted(pg.port(), PostgresServer.PASSWORD, spool, limit, parallel, tmp.resolve("nas"), tmp.resolve("usb"),
                webhook.getAddress().getPort()));
    }

    private void startService() throws Exception {
        service = new Service(PlanLoader.load(plan), new EngineSettings(tmp.resolve("state"), tmp.resolve("work"), ProgressListener.NONE),
                Service.Timing.DEFAULT);
        service.start();
    }

    private List<String> spooled() throws IOException {
        try (Stream<Path> s = Files.list(spool)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }

    private List<String> stored(String destination) throws IOException {
        Path d = tmp.resolve(destination).resolve("db/wal/app");
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".zst")).map(n -> n.substring(0, n.length() - 4))
                    .sorted().toList();
        }
    }

    private static void await(String what, long seconds, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private boolean shippedEverywhere(String segment) {
        try {
            return stored("nas").contains(segment) && stored("usb").contains(segment) && spooled().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void a_restore_to_time_through_the_spool_and_the_service_is_exact() throws Exception {
        plan("1GB", 2);
        pg.sql("postgres", "DROP TABLE IF EXISTS t; CREATE TABLE t (id int primary key, batch text);"
                + " INSERT INTO t SELECT g, 'one' FROM generate_series(1, 100) g");
        CliRunner.Result now = CliRunner.run("now", plan.toString());
        assertThat(now.exit()).as(now.toString()).isZero();
        startService();
        pg.sql("postgres", "INSERT INTO t SELECT g, 'two' FROM generate_series(101, 150) g");
        Thread.sleep(300);
        String t = pg.sql("postgres", "SELECT clock_timestamp()::text");
        Thread.sleep(1000);
        pg.sql("postgres", "INSERT INTO t SELECT g, 'three' FROM generate_series(151, 170) g");
        String last = WalPushBridge.switchWal(pg);
        WalPushBridge.awaitArchived(pg, last, 30_000);
        await("the service ships " + last + " to both destinations and empties the spool", 60, () -> shippedEverywhere(last));
        assertThat(pg.sql("postgres", "SELECT failed_count FROM pg_stat_archiver")).isEqualTo("0");

        Path recoveredDir = Commands.dataDir("pg-async-recovered");
        Path target = recoveredDir.resolve("data");
        CliRunner.Result restore = CliRunner.run("restore", plan.toString(), "latest", "--to", target.toString(), "--to-time", t);
        assertThat(restore.exit()).as(restore.toString()).isZero();
        PostgresServer recovered = PostgresServer.startOn(target, recoveredDir, Map.of("archive_mode", "off"));
        try {
            recovered.awaitPromotion();
            assertThat(recovered.sql("postgres", "SELECT batch || ':' || count(*) FROM t GROUP BY batch ORDER BY batch"))
                    .isEqualTo("one:100\ntwo:50");
        } finally {
            recovered.stop();
        }
    }

    @Test
    void a_full_spool_refuses_and_a_service_started_later_alerts_and_catches_up() throws Exception {
        plan("40MB", 2); // two 16 MiB segments fit, a third does not
        assertThat(CliRunner.run("wal-ship", plan.toString()).exit()).as("an empty spool ships fine; writes .limit").isZero();
        assertThat(Files.readString(spool.resolve(".limit")).trim()).isEqualTo("40000000");
        String failedBefore = pg.sql("postgres", "SELECT failed_count FROM pg_stat_archiver");
        String first = WalPushBridge.switchWal(pg);
        WalPushBridge.awaitArchived(pg, first, 30_000);
        String second = WalPushBridge.switchWal(pg);
        WalPushBridge.awaitArchived(pg, second, 30_000);
        String third = WalPushBridge.switchWal(pg);
        await("the archiver fails on the third segment: the spool is full", 30, () -> {
            try {
                return third.equals(pg.sql("postgres", "SELECT coalesce(last_failed_wal, '') FROM pg_stat_archiver"));
            } catch (IOException e) {
                return false;
            }
        });
        assertThat(Long.parseLong(pg.sql("postgres", "SELECT failed_count FROM pg_stat_archiver"))).isGreaterThan(Long.parseLong(failedBefore));
        assertThat(spooled()).containsExactly(first, second);
        assertThat(pg.sql("postgres", "SELECT count(*) FROM pg_ls_waldir() WHERE name = '" + third + "'"))
                .as("PostgreSQL keeps the refused segment").isEqualTo("1");
        assertThat(pg.logTail()).contains("the WAL spool " + spool + " is full");

        CliRunner.Result status = CliRunner.run("status", plan.toString(), "--json");
        assertThat(status.out()).contains("\"spool\"").contains("\"segments\" : 2");

        startService();
        await("the service empties the spool", 60, () -> {
            try {
                return spooled().isEmpty();
            } catch (IOException e) {
                return false;
            }
        });
        // after three failures in a row the archiver pauses up to a minute; a new segment wakes it at once
        WalPushBridge.switchWal(pg);
        WalPushBridge.awaitArchived(pg, third, 60_000);
        await("the service ships all three and empties the spool", 60, () -> shippedEverywhere(third));
        assertThat(stored("nas")).contains(first, second, third);
        await("the wal-spool alert", 10, () -> alerts.stream().anyMatch(a -> a.contains("\"wal-spool\"")));
        assertThat(alerts.stream().filter(a -> a.contains("\"wal-spool\"")).findFirst().orElseThrow())
                .contains("the WAL spool of source 'app' (" + spool + ") is over 80% of its walSpoolLimit");
        assertThat(service.metrics().scrape()).contains("caravan_wal_spool_segments{plan=\"db\",source=\"app\"}")
                .contains("caravan_wal_spool_limit_bytes{plan=\"db\",source=\"app\"} 4.0E7");
    }

    @Test
    void a_shipper_killed_mid_ship_loses_nothing() throws Exception {
        plan("1GB", 1);
        Path originals = Files.createDirectories(tmp.resolve("originals"));
        Random random = new Random(42);
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            String name = "0000000100000000000000%02X".formatted(i);
            byte[] b = new byte[4 << 20];
            random.nextBytes(b);
            Files.write(originals.resolve(name), b);
            Commands.run(List.of(SPOOLER.toString(), spool.toString(), originals.resolve(name).toString(), name), Map.of(), null);
            names.add(name);
        }
        assertThat(spooled()).isEqualTo(names);

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dcaravan.state.dir=" + tmp.resolve("state"),
                "-Dcaravan.work.dir=" + tmp.resolve("work-child"), "dev.caravan.cli.Main", "wal-ship", plan.toString()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(tmp.resolve("ship.log").toFile()).start();
        children.add(child);
        await("the child ships its first segment", 120, () -> {
            try {
                return !stored("usb").isEmpty() || !child.isAlive();
            } catch (IOException e) {
                return false;
            }
        });
        child.destroyForcibly(); // SIGKILL, mid-ship: more segments wait
        assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(Files.readString(tmp.resolve("ship.log"))).isEqualTo(137);
        List<String> left = spooled();
        assertThat(left).as("killed before the end").isNotEmpty();
        List<String> union = new ArrayList<>(left);
        List<String> usb = stored("usb");
        stored("nas").stream().filter(n -> usb.contains(n) && !left.contains(n)).forEach(union::add);
        assertThat(union).as("every segment is in the spool or at both destinations").containsExactlyInAnyOrderElementsOf(names);

        try (FileLock lock = new WalSpool(spool, 1L << 30).tryLockShipper()) {
            assertThat(lock).as("the killed shipper's lock is gone with it").isNotNull();
        }
        CliRunner.Result ship = CliRunner.run("wal-ship", plan.toString());
        assertThat(ship.exit()).as(ship.toString()).isZero();
        assertThat(spooled()).isEmpty();
        for (String dest : List.of("nas", "usb")) {
            assertThat(stored(dest)).isEqualTo(names);
            for (String n : names) {
                Path out = tmp.resolve(dest + "-" + n);
                Commands.run(List.of("zstd", "-q", "-d", "-o", out.toString(), tmp.resolve(dest).resolve("db/wal/app/" + n + ".zst").toString()),
                        Map.of(), null);
                assertThat(Files.mismatch(out, originals.resolve(n))).as(dest + " " + n).isEqualTo(-1L);
            }
        }
    }

    @Test
    void wal_push_spools_and_ships_itself_when_no_service_runs_and_only_spools_when_one_does() throws Exception {
        plan("1GB", 2);
        Path segment = tmp.resolve("000000010000000000000077");
        Files.write(segment, new byte[1 << 20]);
        CliRunner.Result r = CliRunner.run("wal-push", plan.toString(), "--source", "app", segment.toString(), segment.getFileName().toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(spooled()).isEmpty();
        assertThat(stored("nas")).containsExactly("000000010000000000000077");
        assertThat(stored("usb")).containsExactly("000000010000000000000077");

        Path next = tmp.resolve("000000010000000000000078");
        Files.write(next, new byte[1 << 20]);
        try (FileLock held = new WalSpool(spool, 1L << 30).tryLockShipper()) { // as a running service holds it
            assertThat(held).isNotNull();
            r = CliRunner.run("wal-push", plan.toString(), "--source", "app", next.toString(), next.getFileName().toString());
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(spooled()).containsExactly("000000010000000000000078");
            assertThat(stored("nas")).doesNotContain("000000010000000000000078");
            Files.write(next, new byte[] {1});
            r = CliRunner.run("wal-push", plan.toString(), "--source", "app", next.toString(), next.getFileName().toString());
            assertThat(r.exit()).as("a different file of a spooled name is refused").isEqualTo(1);
            assertThat(r.err()).contains("already holds a different 000000010000000000000078");
        }
    }
}
