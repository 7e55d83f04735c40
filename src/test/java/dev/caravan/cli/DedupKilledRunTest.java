package dev.caravan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real {@code caravan now} of a {@code dedup true} plan, killed by SIGKILL after some of its chunks
 * were stored: no manifest, so the backup does not count; the next run completes, stores again only
 * the chunks it does not find, and restores.
 */
class DedupKilledRunTest {
    @TempDir
    Path tmp;
    Path plan;
    Path slow;
    Path data;
    Path nas;
    final List<ProcessHandle> started = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        System.setProperty("caravan.state.dir", tmp.resolve("state").toString());
        System.setProperty("caravan.work.dir", tmp.resolve("work").toString());
        slow = tmp.resolve("slow");
        data = tmp.resolve("data.bin");
        byte[] b = new byte[6 << 20];
        new Random(3).nextBytes(b);
        Files.write(data, b);
        nas = tmp.resolve("nas");
        plan = tmp.resolve("plan.groovy");
        // the dump: 6 MiB, then (while the marker exists) a pause, so the run is caught with chunks stored
        Files.writeString(plan, """
                backup('app') {
                    sources { command('stream') { run 'sh', '-c', 'cat %s; while [ -f %s ]; do sleep 0.1; done'; extension 'bin' } }
                    dedup true
                    destinations { local('nas') { path '%s' } }
                }
                """.formatted(data, slow, nas));
    }

    @AfterEach
    void tearDown() {
        System.clearProperty("caravan.state.dir");
        System.clearProperty("caravan.work.dir");
        started.forEach(ProcessHandle::destroyForcibly);
    }

    private long chunks() throws IOException {
        Path dir = nas.resolve("app/chunks");
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")).count();
        }
    }

    @Test
    void a_run_killed_mid_backup_leaves_no_manifest_and_the_next_run_reuses_its_chunks() throws Exception {
        Files.writeString(slow, "");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dcaravan.state.dir=" + tmp.resolve("state"),
                "-Dcaravan.work.dir=" + tmp.resolve("work"), "dev.caravan.cli.Main", "now", plan.toString());
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(tmp.resolve("killed.log").toFile()).start();
        started.add(child.toHandle());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240); // a JVM start takes long on a busy machine
        while (chunks() < 2 && System.nanoTime() < deadline) {
            assertThat(child.isAlive()).as("the run ended early: " + Files.readString(tmp.resolve("killed.log"))).isTrue();
            Thread.sleep(50);
        }
        assertThat(chunks()).as("chunks stored before the kill").isGreaterThanOrEqualTo(2);
        List<ProcessHandle> dump = child.descendants().toList();
        child.destroyForcibly(); // SIGKILL
        assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
        dump.forEach(ProcessHandle::destroyForcibly);
        long left = chunks();
        try (Stream<Path> s = Files.walk(nas)) {
            assertThat(s.filter(p -> p.getFileName().toString().equals("manifest.json")).toList()).isEmpty();
        }
        CliRunner.Result list = CliRunner.run("list", plan.toString());
        assertThat(list.out()).doesNotContain("manual");

        Files.delete(slow);
        CliRunner.Result next = CliRunner.run("now", plan.toString());
        assertThat(next.exit()).as(next.toString()).isZero();
        Path manifest;
        try (Stream<Path> s = Files.walk(nas)) {
            manifest = s.filter(p -> p.getFileName().toString().equals("manifest.json")).findFirst().orElseThrow();
        }
        JsonNode e = new ObjectMapper().readTree(manifest.toFile()).get("objects").get(0);
        assertThat(e.get("chunks").size()).isGreaterThan((int) left);
        assertThat(e.get("newBytes").asLong()).as("the killed run's chunks are reused").isLessThan(e.get("bytes").asLong());

        Path out = tmp.resolve("out");
        CliRunner.Result restore = CliRunner.run("restore", plan.toString(), "latest", "--to", out.toString());
        assertThat(restore.exit()).as(restore.toString()).isZero();
        try (Stream<Path> s = Files.list(out)) {
            assertThat(Files.mismatch(s.findFirst().orElseThrow(), data)).isEqualTo(-1L);
        }
    }
}
