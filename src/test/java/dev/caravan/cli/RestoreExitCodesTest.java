package dev.caravan.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exit codes of restore's mistakes, as docs/cli.md lists them: 1 when the restore ran and could
 * not be done (no such backup, a non-empty target without --force), 2 when the command line is
 * wrong (an argument that cannot be an id, a source or destination the plan does not have).
 */
class RestoreExitCodesTest {
    @TempDir
    Path tmp;
    Path plan;

    @BeforeEach
    void setUp() throws IOException {
        System.setProperty("caravan.state.dir", tmp.resolve("state").toString());
        System.setProperty("caravan.work.dir", tmp.resolve("work").toString());
        Files.createDirectories(tmp.resolve("data"));
        Files.writeString(tmp.resolve("data/a.txt"), "alpha\n");
        plan = Files.writeString(tmp.resolve("plan.groovy"), """
                backup('docs') {
                    sources { files('tree') { path '%s' } }
                    destinations { local('nas') { path '%s' } }
                }
                """.formatted(tmp.resolve("data"), tmp.resolve("nas")));
    }

    @AfterEach
    void tearDown() {
        System.clearProperty("caravan.state.dir");
        System.clearProperty("caravan.work.dir");
    }

    private CliRunner.Result restore(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "restore";
        all[1] = plan.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return CliRunner.run(all);
    }

    @Test
    void no_backup_at_all_and_an_id_no_destination_holds_exit_1() {
        CliRunner.Result none = restore("latest", "--to", tmp.resolve("out").toString());
        assertThat(none.exit()).as(none.toString()).isEqualTo(1);
        assertThat(none.err()).contains("plan 'docs' has no complete backup");

        assertThat(CliRunner.run("now", plan.toString()).exit()).isZero();
        CliRunner.Result missing = restore("20000101T000000Z", "--to", tmp.resolve("out").toString());
        assertThat(missing.exit()).as(missing.toString()).isEqualTo(1);
        assertThat(missing.err()).contains("plan 'docs' has no complete backup 20000101T000000Z");
    }

    @Test
    void a_non_empty_target_without_force_exits_1_and_is_left_alone() throws Exception {
        assertThat(CliRunner.run("now", plan.toString()).exit()).isZero();
        Path busy = Files.createDirectories(tmp.resolve("busy"));
        Files.writeString(busy.resolve("mine.txt"), "mine");

        CliRunner.Result refused = restore("latest", "--to", busy.toString());

        assertThat(refused.exit()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err()).contains("--force");
        assertThat(busy.resolve("mine.txt")).hasContent("mine");
        assertThat(busy.resolve("a.txt")).doesNotExist();
    }

    @Test
    void a_wrong_command_line_exits_2_and_nothing_runs() throws Exception {
        assertThat(CliRunner.run("now", plan.toString()).exit()).isZero();
        Path out = tmp.resolve("out");

        CliRunner.Result typo = restore("lastest", "--to", out.toString());
        assertThat(typo.exit()).as(typo.toString()).isEqualTo(2);
        assertThat(typo.err()).contains("'lastest' is not a backup id: give 'latest' or an id such as 20250315T143022Z");

        CliRunner.Result source = restore("latest", "--only", "nope", "--to", out.toString());
        assertThat(source.exit()).as(source.toString()).isEqualTo(2);

        CliRunner.Result from = restore("latest", "--from", "nope", "--to", out.toString());
        assertThat(from.exit()).as(from.toString()).isEqualTo(2);
        assertThat(from.err()).contains("plan 'docs' has no destination 'nope'");

        CliRunner.Result noId = restore();
        assertThat(noId.exit()).as(noId.toString()).isEqualTo(2);

        assertThat(out).doesNotExist();
    }
}
