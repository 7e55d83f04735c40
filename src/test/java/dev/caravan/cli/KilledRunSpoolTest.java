package dev.caravan.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real {@code caravan now} processes, their spool in {@code $TMPDIR/caravan-work} (TMPDIR set, no
 * CARAVAN_WORK_DIR), killed by SIGKILL while their source is still dumping: each leaves its spool folder,
 * and the next run of the plan removes it and makes a good backup.
 */
class KilledRunSpoolTest {
    private static final int DUMP_BYTES = 20 << 20; // 20 MiB; all but the few KiB still in the pipes reach the spool before the pause

    @TempDir
    Path tmp;
    Path tmpdir;
    Path plan;
    Path slow;
    final List<ProcessHandle> started = new ArrayList<>();
    final List<Path> killed = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        System.setProperty("caravan.state.dir", tmp.resolve("state").toString());
        tmpdir = Files.createDirectories(tmp.resolve("tmpdir"));
        slow = tmp.resolve("slow");
        plan = tmp.resolve("plan.groovy");
        // the dump: 20 MiB, then (while the marker file exists) a long pause, so the run is caught mid-dump
        Files.writeString(plan, """
                backup('app') {
                    sources { command('stream') { run 'sh', '-c', 'head -c %d /dev/urandom; while [ -f %s ]; do sleep 0.2; done' } }
                    compress 'none'
                    destinations { local('nas') { path '%s' } }
                }
                """.formatted(DUMP_BYTES, slow, tmp.resolve("nas")));
    }

    @AfterEach
    void tearDown() {
        System.clearProperty("caravan.state.dir");
        started.forEach(ProcessHandle::destroyForcibly);
    }

    private Process caravan(String log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dcaravan.state.dir=" + tmp.resolve("state"), "dev.caravan.cli.Main"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(tmp.resolve(log).toFile());
        pb.environment().remove("CARAVAN_WORK_DIR");
        pb.environment().put("TMPDIR", tmpdir.toString());
        Process p = pb.start();
        started.add(p.toHandle());
        return p;
    }

    private List<Path> spools() throws IOException {
        Path work = tmpdir.resolve("caravan-work");
        if (!Files.isDirectory(work)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(work)) {
            return s.filter(p -> p.getFileName().toString().startsWith("app-")).sorted().toList();
        }
    }

    /** Bytes under {@code dir}; 0 when it is gone (the next run removes a killed run's spool while we look). */
    private static long bytes(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (java.nio.file.NoSuchFileException | java.io.UncheckedIOException gone) {
            return 0;
        }
    }

    /** Starts a run, waits until its whole dump is in the spool (the source is then pausing), and SIGKILLs it. */
    private Path killMidRun(String log) throws Exception {
        Process child = caravan(log, "now", plan.toString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240); // a JVM start takes long on a busy machine
        Path spool = null;
        while (System.nanoTime() < deadline && spool == null) {
            assertThat(child.isAlive()).as("the run ended early: " + Files.readString(tmp.resolve(log))).isTrue();
            for (Path p : spools()) {
                // the last few KiB stay in the pipes until the dump ends
                if (bytes(p) >= DUMP_BYTES - (1 << 20) && !killed.contains(p)) {
                    spool = p;
                }
            }
            Thread.sleep(50);
        }
        assertThat(spool).as("no full spool of a new run in " + tmpdir.resolve("caravan-work")).isNotNull();
        List<ProcessHandle> dump = child.descendants().toList();
        child.destroyForcibly(); // SIGKILL
        assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isEqualTo(137);
        dump.forEach(ProcessHandle::destroyForcibly); // the source's shell, orphaned by the kill
        killed.add(spool);
        return spool;
    }

    @Test
    void the_next_run_removes_the_spool_a_killed_run_left_in_tmpdir() throws Exception {
        Files.writeString(slow, "");
        Path first = killMidRun("killed-1.log");
        assertThat(spools()).containsExactly(first);

        // killed in turn, the second run had removed the first one's spool before it began its own
        Path second = killMidRun("killed-2.log");
        assertThat(spools()).containsExactly(second);

        Files.delete(slow);
        Process next = caravan("next.log", "now", plan.toString());
        assertThat(next.waitFor(240, TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(tmp.resolve("next.log"));
        assertThat(next.exitValue()).as(out).isZero();
        assertThat(out).containsPattern("retention removed the spool of a killed run: " + second.getFileName() + " \\((19\\.\\d|20\\.0) MiB\\)");
        assertThat(spools()).isEmpty();

        CliRunner.Result verify = CliRunner.run("verify", plan.toString(), "all");
        assertThat(verify.exit()).as(verify.toString()).isZero();
        assertThat(verify.out()).contains("nas stream.dump").contains("all copies verified");
    }
}
