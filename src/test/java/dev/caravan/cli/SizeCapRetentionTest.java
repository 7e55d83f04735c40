package dev.caravan.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code keepLast 10; maxTotalSize '5 MB'} over backups of about 2 MB: the backups keepLast keeps
 * and the cap drops are reported as dropped by the cap, with how far over it the set was, by the
 * retention step of {@code now} and by {@code prune}.
 */
class SizeCapRetentionTest {
    @TempDir
    Path tmp;
    Path nas;

    @BeforeEach
    void setUp() throws IOException {
        System.setProperty("caravan.state.dir", tmp.resolve("state").toString());
        System.setProperty("caravan.work.dir", tmp.resolve("work").toString());
        Files.createDirectories(tmp.resolve("data"));
        byte[] random = new byte[2_000_000];
        new Random(12).nextBytes(random);
        Files.write(tmp.resolve("data/blob.bin"), random);
        nas = tmp.resolve("nas");
    }

    @AfterEach
    void tearDown() {
        System.clearProperty("caravan.state.dir");
        System.clearProperty("caravan.work.dir");
    }

    private Path plan(String cap) throws IOException {
        return Files.writeString(tmp.resolve("plan.groovy"), """
                backup('docs') {
                    sources { files('tree') { path '%s' } }
                    compress 'none'
                    destinations { local('nas') { path '%s' } }
                    retention { keepLast 10; maxTotalSize '%s' }
                }
                """.formatted(tmp.resolve("data"), nas, cap));
    }

    private static CliRunner.Result ok(String... args) {
        CliRunner.Result r = CliRunner.run(args);
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    private List<String> ids() throws IOException {
        try (Stream<Path> s = Files.list(nas.resolve("docs"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void now_and_prune_say_the_size_cap_dropped_a_backup_keepLast_keeps_and_by_how_much_the_set_was_over() throws Exception {
        Path plan = plan("5 MB");
        ok("now", plan.toString());
        ok("now", plan.toString());
        String oldest = ids().get(0);

        CliRunner.Result third = ok("now", plan.toString());

        assertThat(ids()).hasSize(2).doesNotContain(oldest);
        assertThat(third.out())
                .contains("nas: removed " + oldest + " (maxTotalSize 5 MB dropped it (kept by keepLast 10; "
                        + "the backups the rules keep total 6.0")
                .containsPattern("total 6\\.0\\d? MB, 1\\.0\\d? MB over the cap\\)\\)")
                .doesNotContain("no retention rule keeps it");

        String next = ids().get(0);
        Path smaller = plan("3 MB");
        CliRunner.Result prune = ok("prune", smaller.toString());

        assertThat(ids()).hasSize(1).doesNotContain(next);
        assertThat(prune.out())
                .containsPattern("pruned " + next + "  maxTotalSize 3 MB dropped it \\(kept by keepLast 10; "
                        + "the backups the rules keep total 4\\.0\\d? MB, 1\\.0\\d? MB over the cap\\)")
                .doesNotContain("no retention rule keeps it");
        assertThat(Files.readString(tmp.resolve("state/audit.log"))).contains("maxTotalSize 3 MB dropped it");
    }
}
