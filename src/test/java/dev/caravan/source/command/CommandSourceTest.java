package dev.caravan.source.command;

import dev.caravan.model.Options;
import dev.caravan.model.SourceSpec;
import dev.caravan.source.Source;
import dev.caravan.source.SourceContract;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandSourceTest extends SourceContract {
    private Path live;

    static Source source(Object... options) {
        return new CommandSourceKind().create(new SourceSpec("command", "crdb", 1, Options.of(options)));
    }

    /** A dump command that prints a file (the "live data") and a restore command that writes it back. */
    @Override
    protected Source sourceWithKnownData() throws IOException {
        if (live == null) {
            live = Files.writeString(scratch.resolve("live.sql"), "CREATE TABLE t (id int);\nINSERT INTO t VALUES (1), (2);\n");
        }
        return source("run", List.of("cat", live.toString()), "extension", "sql",
                "restore", List.of("sh", "-c", "cat > \"$0\"", live.toString()));
    }

    /** A directory: the restore writes the dump file there, {@code crdb.sql}. */
    @Override
    protected String freshTarget() throws IOException {
        return Files.createDirectories(scratch.resolve("fresh-" + System.nanoTime())).toString();
    }

    @Override
    protected Object contents(String target) throws IOException {
        return Files.readString(target == null ? live : Path.of(target).resolve("crdb.sql"));
    }

    /** The command kind's "server that does not answer": a dump tool that cannot connect and says so. */
    @Override
    protected Source unreachableSource() {
        return source("run", List.of("sh", "-c", "echo 'connection to 127.0.0.1:9 refused' >&2; exit 2"));
    }

    @Override
    protected String who() {
        return "command 'crdb'";
    }

    /** A command's output is opaque: only the manifest's SHA-256 tells a cut dump. */
    @Override
    protected boolean formatShowsTruncation() {
        return false;
    }

    @Test
    void dump_is_the_commands_stdout() throws Exception {
        Source s = source("run", List.of("sh", "-c", "echo 'CREATE TABLE t();'; echo progress >&2"), "extension", "sql");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        s.dump(out);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("CREATE TABLE t();\n");
        assertThat(s.extension()).isEqualTo("sql");
        assertThat(s.toolVersion()).isEqualTo("command /usr/bin/sh");
    }

    @Test
    void a_failing_command_fails_with_the_tail_of_its_stderr() {
        Source s = source("run", List.of("sh", "-c", "echo starting >&2; echo 'ERROR: node unreachable' >&2; exit 3"));
        assertThatThrownBy(() -> s.dump(OutputStream.nullOutputStream()))
                .hasMessage("command 'crdb': sh failed: node unreachable");
    }

    @Test
    void an_empty_output_fails_even_with_exit_code_zero() {
        Source s = source("run", List.of("true"));
        assertThatThrownBy(() -> s.dump(OutputStream.nullOutputStream()))
                .hasMessage("command 'crdb': true wrote nothing to stdout");
    }

    @Test
    void a_missing_program_is_named() {
        Source s = source("run", List.of("no-such-dump-tool", "x"));
        assertThatThrownBy(() -> s.dump(OutputStream.nullOutputStream()))
                .hasMessage("command 'crdb': no-such-dump-tool not found on PATH");
    }

    @Test
    void default_extension_is_dump_and_a_bad_one_is_refused() {
        assertThat(source("run", List.of("true")).extension()).isEqualTo("dump");
        assertThatThrownBy(() -> source("run", List.of("true"), "extension", "../x"))
                .hasMessageContaining("extension '../x'");
    }

    @Test
    void restore_to_a_directory_writes_the_file_and_without_a_restore_command_says_how() throws Exception {
        Source s = source("run", List.of("echo", "x"), "extension", "sql");
        s.restore(new ByteArrayInputStream("dump".getBytes()), request(scratch.toString(), false));
        assertThat(scratch.resolve("crdb.sql")).hasContent("dump");
        assertThatThrownBy(() -> s.restore(new ByteArrayInputStream(new byte[1]), request(null, true)))
                .hasMessageContaining("--to DIR");
    }

    @Test
    void the_restore_command_gets_the_dump_on_stdin_when_forced() throws Exception {
        Path out = scratch.resolve("loaded");
        Source s = source("run", List.of("echo", "x"), "restore", List.of("sh", "-c", "cat > " + out));
        assertThatThrownBy(() -> s.restore(new ByteArrayInputStream(new byte[1]), request(null, false)))
                .hasMessageContaining("--force");
        s.restore(new ByteArrayInputStream("the dump".getBytes()), request(null, true));
        assertThat(Files.readString(out)).isEqualTo("the dump");
    }
}
