package dev.caravan.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The foundation end to end, through the command line: files -> zstd -> age -> two local
 * destinations -> verify -> list/info/restore/prune/delete, plus the failure cases.
 */
class BackupEndToEndTest {
    @TempDir
    Path tmp;
    Path source;
    Path nas;
    Path usb;
    Path plan;
    Path identity;

    @BeforeEach
    void setUp() throws Exception {
        System.setProperty("caravan.state.dir", tmp.resolve("state").toString());
        System.setProperty("caravan.work.dir", tmp.resolve("work").toString());
        source = tmp.resolve("data");
        Files.createDirectories(source.resolve("sub/empty"));
        Files.writeString(source.resolve("a.txt"), "alpha\n".repeat(1000));
        Files.writeString(source.resolve("sub/b.json"), "{\"b\": 1}\n");
        Files.writeString(source.resolve("sub/noise.log"), "excluded\n");
        byte[] random = new byte[300_000];
        new Random(7).nextBytes(random);
        Files.write(source.resolve("sub/blob.bin"), random);
        nas = tmp.resolve("nas");
        usb = tmp.resolve("usb");
        identity = tmp.resolve("key.txt");
        Process keygen = new ProcessBuilder("age-keygen", "-o", identity.toString()).redirectErrorStream(true).start();
        String keygenOut = new String(keygen.getInputStream().readAllBytes());
        assertThat(keygen.waitFor()).as("age-keygen: " + keygenOut).isZero();
        String recipient = Files.readAllLines(identity).stream().filter(l -> l.startsWith("# public key: "))
                .findFirst().orElseThrow().substring("# public key: ".length());
        plan = writePlan(recipient, usb.toString());
    }

    @AfterEach
    void tearDown() {
        System.clearProperty("caravan.state.dir");
        System.clearProperty("caravan.work.dir");
    }

    private Path writePlan(String recipient, String usbPath) throws IOException {
        Path p = tmp.resolve("plan.groovy");
        Files.writeString(p, """
                backup('docs') {
                    sources {
                        files('tree') { path '%s'; exclude '**/*.log' }
                    }
                    compress 'zstd', level: 3
                    encrypt age: '%s'
                    destinations {
                        local('nas') { path '%s' }
                        local('usb') { path '%s' }
                    }
                    retention { keepLast 2 }
                }
                """.formatted(source, recipient, nas, usbPath));
        return p;
    }

    private CliRunner.Result caravan(String... args) {
        return CliRunner.run(args);
    }

    private static String onlyId(Path dest) throws IOException {
        try (Stream<Path> s = Files.list(dest.resolve("docs"))) {
            List<Path> ids = s.toList();
            assertThat(ids).hasSize(1);
            return ids.get(0).getFileName().toString();
        }
    }

    @Test
    void now_json_reports_each_run_with_its_status_and_seconds() throws Exception {
        CliRunner.Result now = caravan("now", plan.toString(), "--json");

        assertThat(now.exit()).as(now.toString()).isZero();
        com.fasterxml.jackson.databind.JsonNode runs = new com.fasterxml.jackson.databind.ObjectMapper().readTree(now.out());
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).get("plan").asText()).isEqualTo("docs");
        assertThat(runs.get(0).get("id").asText()).isEqualTo(onlyId(nas));
        assertThat(runs.get(0).get("status").asText()).isEqualTo("ok");
        assertThat(runs.get(0).get("seconds").asDouble()).isPositive();
        assertThat(runs.get(0).get("sources").get(0).get("sha256").asText()).hasSize(64);
    }

    @Test
    void a_backup_lands_on_every_destination_and_restores_identically() throws Exception {
        CliRunner.Result now = caravan("now", plan.toString(), "--note", "first");
        assertThat(now.exit()).as(now.toString()).isZero();
        String id = onlyId(nas);
        assertThat(nas.resolve("docs/" + id + "/tree.tar.zst.age")).isRegularFile();
        assertThat(nas.resolve("docs/" + id + "/manifest.json")).isRegularFile();
        assertThat(usb.resolve("docs/" + id + "/manifest.json")).isRegularFile();

        CliRunner.Result list = caravan("list", plan.toString());
        assertThat(list.exit()).as(list.toString()).isZero();
        assertThat(list.out()).contains(id).contains("nas,usb").contains("manual").contains("first");

        CliRunner.Result info = caravan("info", plan.toString(), "latest", "--json");
        assertThat(info.exit()).as(info.toString()).isZero();
        assertThat(info.out()).contains("\"sha256\"").contains("tree.tar.zst.age").contains("\"recipients\"");

        CliRunner.Result deep = caravan("verify", plan.toString(), "all", "--deep", "--identity", identity.toString());
        assertThat(deep.exit()).as(deep.toString()).isZero();

        Path restored = tmp.resolve("restored");
        CliRunner.Result restore = caravan("restore", plan.toString(), id, "--to", restored.toString(), "--identity", identity.toString());
        assertThat(restore.exit()).as(restore.toString()).isZero();
        assertThat(restored.resolve("a.txt")).hasSameTextualContentAs(source.resolve("a.txt"));
        assertThat(restored.resolve("sub/blob.bin")).hasSameBinaryContentAs(source.resolve("sub/blob.bin"));
        assertThat(restored.resolve("sub/empty")).isDirectory();
        assertThat(restored.resolve("sub/noise.log")).doesNotExist();
    }

    @Test
    void a_flipped_byte_in_a_stored_object_makes_verify_fail_naming_the_destination() throws Exception {
        assertThat(caravan("now", plan.toString()).exit()).isZero();
        String id = onlyId(usb);
        try (RandomAccessFile f = new RandomAccessFile(usb.resolve("docs/" + id + "/tree.tar.zst.age").toFile(), "rw")) {
            f.seek(f.length() / 2);
            int b = f.read();
            f.seek(f.length() / 2);
            f.write(b ^ 0x01);
        }
        CliRunner.Result verify = caravan("verify", plan.toString(), "latest");
        assertThat(verify.exit()).as(verify.toString()).isEqualTo(1);
        assertThat(verify.out()).contains("FAILED  docs " + id + " usb").contains("checksum mismatch").contains("OK      docs " + id + " nas");

        Path restored = tmp.resolve("restored");
        CliRunner.Result restore = caravan("restore", plan.toString(), "latest", "--from", "usb", "--to", restored.toString(),
                "--identity", identity.toString());
        assertThat(restore.exit()).as("restore from the corrupt copy only").isEqualTo(1);
        CliRunner.Result fallback = caravan("restore", plan.toString(), "latest", "--to", restored.toString(),
                "--identity", identity.toString());
        assertThat(fallback.exit()).as(fallback.toString()).isZero();
        assertThat(fallback.out()).contains("from nas");
    }

    @Test
    void a_destination_that_is_down_fails_alone_and_the_other_keeps_a_good_copy() throws Exception {
        Path blocked = tmp.resolve("not-a-dir");
        Files.writeString(blocked, "a file where a directory should be");
        Path p = writePlan(Files.readAllLines(identity).get(1).substring("# public key: ".length()), blocked.toString());

        CliRunner.Result now = caravan("now", p.toString());
        assertThat(now.exit()).as(now.toString()).isEqualTo(1);
        assertThat(now.out()).contains("destination usb: FAILED").contains("destination nas: stored");
        CliRunner.Result list = caravan("list", p.toString(), "--json");
        assertThat(list.out()).contains("\"destinations\" : [ \"nas\" ]");
    }

    @Test
    void retention_keeps_the_last_two_and_prune_dry_run_names_the_rule() throws Exception {
        for (int i = 0; i < 3; i++) {
            CliRunner.Result r = caravan("now", plan.toString());
            assertThat(r.exit()).as(r.toString()).isZero();
        }
        try (Stream<Path> s = Files.list(nas.resolve("docs"))) {
            assertThat(s.count()).isEqualTo(2);
        }
        CliRunner.Result prune = caravan("prune", plan.toString(), "--dry-run");
        assertThat(prune.exit()).as(prune.toString()).isZero();
        assertThat(prune.out()).contains("keepLast 2");
    }

    @Test
    void restore_into_a_non_empty_target_needs_force() throws Exception {
        assertThat(caravan("now", plan.toString()).exit()).isZero();
        Path target = tmp.resolve("busy");
        Files.createDirectories(target);
        Files.writeString(target.resolve("keep.txt"), "mine");
        CliRunner.Result refused = caravan("restore", plan.toString(), "latest", "--to", target.toString(), "--identity", identity.toString());
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("--force");
        assertThat(target.resolve("keep.txt")).hasContent("mine");
    }

    @Test
    void delete_removes_one_backup_everywhere() throws Exception {
        assertThat(caravan("now", plan.toString()).exit()).isZero();
        String id = onlyId(nas);
        CliRunner.Result del = caravan("delete", plan.toString(), id);
        assertThat(del.exit()).as(del.toString()).isZero();
        assertThat(caravan("list", plan.toString()).out()).doesNotContain(id);
        assertThat(caravan("delete", plan.toString(), id).exit()).isEqualTo(1);
    }

    @Test
    void a_run_killed_mid_backup_leaves_nothing_listed_and_the_next_run_succeeds() throws Exception {
        // enough data that the child is still writing when it is killed
        byte[] chunk = new byte[1 << 20];
        Random r = new Random(3);
        for (int i = 0; i < 150; i++) {
            r.nextBytes(chunk);
            Files.write(source.resolve("big-" + i + ".bin"), chunk);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Dcaravan.state.dir=" + tmp.resolve("state"), "-Dcaravan.work.dir=" + tmp.resolve("work"),
                "dev.caravan.cli.Main", "now", plan.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
        // wait until the spool file grows, i.e. the backup is in flight
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline && spoolBytes() < 8_000_000) {
            assertThat(child.isAlive()).as("child ended early: " + Files.readString(tmp.resolve("child.log"))).isTrue();
            Thread.sleep(50);
        }
        child.destroyForcibly();
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();

        CliRunner.Result list = caravan("list", plan.toString(), "--json");
        assertThat(list.out()).contains("\"backups\" : [ ]");
        CliRunner.Result now = caravan("now", plan.toString());
        assertThat(now.exit()).as(now.toString()).isZero();
        assertThat(caravan("list", plan.toString()).out()).contains("nas,usb");
    }

    private long spoolBytes() throws IOException {
        Path work = tmp.resolve("work");
        if (!Files.isDirectory(work)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(work)) {
            return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    @Test
    void a_second_run_of_a_locked_plan_exits_3() throws Exception {
        try (var lock = dev.caravan.lock.PlanLock.acquire(tmp.resolve("state"), "docs", "test")) {
            assertThat(lock).isNotNull();
            CliRunner.Result now = caravan("now", plan.toString());
            assertThat(now.exit()).as(now.toString()).isEqualTo(3);
            assertThat(now.err()).contains("locked");
        }
    }
}
