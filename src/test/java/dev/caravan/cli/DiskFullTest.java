package dev.caravan.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Running out of space, on real (tiny) file systems: a 2 MiB tmpfs as one local destination, and as the
 * spool's work dir, for a 4 MiB object. The run exits 1, says {@code No space left on device}, lists
 * nothing at the full place as good, and the other destination gets its backup.
 */
class DiskFullTest {
    private static Path mounts;
    private static Path fullDisk;
    private static Path fullWork;

    @TempDir
    Path tmp;
    Path plan;
    Path roomy;

    @BeforeAll
    static void mountSmallFileSystems() throws Exception {
        mounts = Files.createTempDirectory("caravan-disk-full");
        fullDisk = Files.createDirectories(mounts.resolve("disk"));
        fullWork = Files.createDirectories(mounts.resolve("work"));
        for (Path p : List.of(fullDisk, fullWork)) {
            sh("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", p.toString());
        }
    }

    @AfterAll
    static void unmount() throws Exception {
        for (Path p : new Path[] {fullDisk, fullWork}) {
            if (p != null) {
                sh("umount", p.toString());
            }
        }
    }

    private static void sh(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    }

    @BeforeEach
    void setUp() throws IOException {
        System.setProperty("caravan.state.dir", tmp.resolve("state").toString());
        System.setProperty("caravan.work.dir", tmp.resolve("work").toString());
        Path data = Files.createDirectories(tmp.resolve("data"));
        byte[] random = new byte[4 << 20]; // incompressible: the object is as big
        new Random(13).nextBytes(random);
        Files.write(data.resolve("blob.bin"), random);
        roomy = tmp.resolve("roomy");
        plan = tmp.resolve("plan.groovy");
        Files.writeString(plan, """
                backup('app') {
                    sources { files('tree') { path '%s' } }
                    destinations {
                        local('small') { path '%s' }
                        local('roomy') { path '%s' }
                    }
                }
                """.formatted(data, fullDisk.resolve("backups"), roomy));
    }

    @AfterEach
    void tearDown() throws IOException {
        System.clearProperty("caravan.state.dir");
        System.clearProperty("caravan.work.dir");
        for (Path p : List.of(fullDisk, fullWork)) {
            try (Stream<Path> s = Files.list(p)) {
                for (Path child : s.toList()) {
                    delete(child);
                }
            }
        }
    }

    private static void delete(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }

    private String listed(String from) {
        CliRunner.Result list = CliRunner.run("list", plan.toString(), "--from", from, "--json");
        assertThat(list.exit()).as(list.toString()).isZero();
        return list.out();
    }

    @Test
    void a_full_destination_fails_alone_saying_so_and_lists_nothing() throws Exception {
        CliRunner.Result now = CliRunner.run("now", plan.toString());

        assertThat(now.exit()).as(now.toString()).isEqualTo(1);
        assertThat(now.out()).contains("destination roomy: stored and verified");
        List<String> failed = now.out().lines().filter(l -> l.contains("destination small: FAILED")).toList();
        assertThat(failed).singleElement().asString().contains("local 'small': ").contains("No space left on device");
        assertThat(listed("small")).contains("\"backups\" : [ ]");
        assertThat(listed("roomy")).doesNotContain("\"backups\" : [ ]");
        CliRunner.Result verify = CliRunner.run("verify", plan.toString(), "--from", "roomy");
        assertThat(verify.exit()).as(verify.toString()).isZero();
    }

    /** The sentence goes past Camel's {@code Cannot store file: .../.partial-tree.tar.zst} to the root cause underneath. */
    @Test
    void a_full_destination_says_no_space_left_on_device() throws Exception {
        CliRunner.Result now = CliRunner.run("now", plan.toString());

        assertThat(now.exit()).as(now.toString()).isEqualTo(1);
        List<String> failed = now.out().lines().filter(l -> l.contains("destination small: FAILED")).toList();
        assertThat(failed).singleElement().asString().contains("No space left on device");
    }

    @Test
    void a_full_spool_fails_the_run_saying_so_and_lists_nothing_anywhere() throws Exception {
        CliRunner.Result now = CliRunner.run("now", plan.toString(), "--work-dir", fullWork.toString());

        assertThat(now.exit()).as(now.toString()).isEqualTo(1);
        assertThat(now.toString()).contains("No space left on device");
        assertThat(listed("small")).contains("\"backups\" : [ ]");
        assertThat(listed("roomy")).contains("\"backups\" : [ ]");
        try (Stream<Path> s = Files.list(fullWork)) {
            assertThat(s.flatMap(p -> {
                try {
                    return Files.list(p);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList()).as("the failed run's spool is removed").isEmpty();
        }
    }
}
