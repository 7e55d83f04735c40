package dev.caravan.source;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every source kind must do, against a real server (or, for files and command, the real file
 * system and programs). A kind's test extends this and says, in a few lines, how to make a source
 * over known data, a fresh restore target, and how to read the data back for comparison.
 */
public abstract class SourceContract {
    @TempDir
    protected Path scratch;
    protected final List<String> restoreLog = new ArrayList<>();

    /** A source over a data set holding known data (written by this call). */
    protected abstract Source sourceWithKnownData() throws Exception;

    /** A restore target ({@code --to}) that exists nowhere yet or is empty. */
    protected abstract String freshTarget() throws Exception;

    /** The data at {@code target} (null: where the source's data lives), in a form that compares exactly. */
    protected abstract Object contents(String target) throws Exception;

    /** A source of this kind pointed at a server that does not answer. */
    protected abstract Source unreachableSource() throws Exception;

    /** What messages start with, e.g. {@code postgres 'app'}. */
    protected abstract String who();

    /**
     * Whether the dump's own format shows that it was cut short (tar, pg_dump, RDB, ... do). A
     * command's output is opaque to Caravan: only the SHA-256 in the manifest tells, so reading a cut
     * dump through must then simply not fail.
     */
    protected boolean formatShowsTruncation() {
        return true;
    }

    protected Path dumpToFile(Source source) throws IOException {
        Path f = scratch.resolve("dump-" + System.nanoTime() + "." + source.extension());
        try (OutputStream out = Files.newOutputStream(f)) {
            source.dump(out);
        }
        return f;
    }

    protected RestoreRequest request(String target, boolean force) {
        return new RestoreRequest(target, force, false, restoreLog::add);
    }

    @Test
    void dump_is_not_empty_and_reads_through() throws Exception {
        Source s = sourceWithKnownData();
        Path dump = dumpToFile(s);
        assertThat(Files.size(dump)).isPositive();
        try (InputStream in = Files.newInputStream(dump)) {
            s.readThrough(in);
        }
    }

    @Test
    void dump_restored_into_a_fresh_target_has_the_same_data() throws Exception {
        Source s = sourceWithKnownData();
        Path dump = dumpToFile(s);
        String target = freshTarget();
        try (InputStream in = Files.newInputStream(dump)) {
            s.restore(in, request(target, false));
        }
        assertThat(contents(target)).isEqualTo(contents(null));
    }

    @Test
    void a_truncated_dump_fails_read_through_naming_the_source() throws Exception {
        Source s = sourceWithKnownData();
        Path dump = dumpToFile(s);
        try (RandomAccessFile f = new RandomAccessFile(dump.toFile(), "rw")) {
            f.setLength(f.length() * 2 / 3);
        }
        if (!formatShowsTruncation()) {
            try (InputStream in = Files.newInputStream(dump)) {
                s.readThrough(in);
            }
            return;
        }
        assertThatThrownBy(() -> {
            try (InputStream in = Files.newInputStream(dump)) {
                s.readThrough(in);
            }
        }).isInstanceOf(IOException.class).hasMessageStartingWith(who() + ": ");
    }

    @Test
    void restoring_over_the_live_data_without_force_is_refused() throws Exception {
        Source s = sourceWithKnownData();
        Path dump = dumpToFile(s);
        Object before = contents(null);
        assertThatThrownBy(() -> {
            try (InputStream in = Files.newInputStream(dump)) {
                s.restore(in, request(null, false));
            }
        }).isInstanceOf(IOException.class).hasMessageStartingWith(who() + ": ").hasMessageContaining("--force");
        assertThat(contents(null)).isEqualTo(before);
    }

    @Test
    void a_dump_of_an_unreachable_server_fails_with_one_sentence_naming_the_source() throws Exception {
        Source s = unreachableSource();
        assertThatThrownBy(() -> s.dump(OutputStream.nullOutputStream()))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(unreachableWho(s) + ": ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void tool_version_names_the_real_tool() throws Exception {
        assertThat(sourceWithKnownData().toolVersion()).isNotBlank().doesNotContain("not installed").doesNotContain("unknown");
    }

    private String unreachableWho(Source s) {
        return who().substring(0, who().indexOf(' ')) + " '" + s.name() + "'";
    }
}
