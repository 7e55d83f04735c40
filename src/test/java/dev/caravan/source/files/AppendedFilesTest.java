package dev.caravan.source.files;

import dev.caravan.model.Options;
import dev.caravan.source.RestoreRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Incrementals of files that only grew: the tar holds their new bytes under {@code .caravan-append/},
 * the index says from where, and a chain restores the exact file. A file whose old bytes changed, a
 * small one, or one that shrank is stored whole.
 */
class AppendedFilesTest {
    private static final int BIG = (int) TarDumper.APPEND_MIN + 300_000;

    @TempDir
    Path dir;
    private final Random random = new Random(7);
    private final List<Path[]> chain = new ArrayList<>();

    @Test
    void a_file_that_only_grew_is_stored_as_its_new_bytes_and_restores_exactly() throws Exception {
        Path src = tree();
        Path full = backup(src);
        append(src.resolve("logs/app.log"), 1000);
        Path inc = backup(src);

        assertThat(FilesSourceTest.names(inc)).contains(".caravan-append/logs/app.log").doesNotContain("logs/app.log", "big.bin");
        assertThat(Files.size(inc)).isLessThan(20_000);
        assertThat(Files.size(full)).isGreaterThan(2L * BIG);
        String line = indexLine(chain.get(1)[1], "logs/app.log");
        assertThat(line).contains("\"appendedFrom\":" + BIG).contains("\"sha256\":\"" + Trees.sha256(src.resolve("logs/app.log")) + "\"");
        assertThat(restoreChain(src)).isEqualTo(Trees.describe(src));
    }

    @Test
    void a_file_replaced_by_a_longer_copy_with_the_same_start_counts_as_grown() throws Exception {
        Path src = tree();
        backup(src);
        // as log rotation tools and mutate-dataset do: a new file renamed into place (new inode)
        Path log = src.resolve("logs/app.log");
        Path copy = src.resolve("logs/app.log.tmp");
        Files.copy(log, copy);
        append(copy, 5000);
        Files.move(copy, log, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Path inc = backup(src);
        assertThat(FilesSourceTest.names(inc)).contains(".caravan-append/logs/app.log");
        assertThat(restoreChain(src)).isEqualTo(Trees.describe(src));
    }

    @Test
    void a_grown_file_whose_old_bytes_changed_is_stored_whole() throws Exception {
        Path src = tree();
        backup(src);
        overwrite(src.resolve("logs/app.log"), 0);           // its first byte
        append(src.resolve("logs/app.log"), 10);
        overwrite(src.resolve("big.bin"), BIG - 1);          // the last byte the previous backup had
        append(src.resolve("big.bin"), 10);
        Path inc = backup(src);
        assertThat(FilesSourceTest.names(inc)).contains("logs/app.log", "big.bin").noneMatch(n -> n.startsWith(".caravan-append"));
        assertThat(indexLine(chain.get(1)[1], "big.bin")).doesNotContain("appendedFrom");
        assertThat(restoreChain(src)).isEqualTo(Trees.describe(src));
    }

    @Test
    void small_and_shrunk_files_are_stored_whole() throws Exception {
        Path src = tree();
        backup(src);
        append(src.resolve("small.txt"), 100);
        try (RandomAccessFile f = new RandomAccessFile(src.resolve("big.bin").toFile(), "rw")) {
            f.setLength(BIG - 100);
        }
        Path inc = backup(src);
        assertThat(FilesSourceTest.names(inc)).contains("small.txt", "big.bin").noneMatch(n -> n.startsWith(".caravan-append"));
        assertThat(restoreChain(src)).isEqualTo(Trees.describe(src));
    }

    @Test
    void appends_chain_over_several_incrementals_and_a_whole_copy_in_between() throws Exception {
        Path src = tree();
        backup(src);
        List<Map<String, String>> states = new ArrayList<>();
        states.add(Trees.describe(src));
        for (int i = 0; i < 4; i++) {
            append(src.resolve("logs/app.log"), 700 + i);
            if (i == 2) {
                overwrite(src.resolve("logs/app.log"), 17); // one rewrite: stored whole, then appends go on from it
            }
            append(src.resolve("big.bin"), 3);
            backup(src);
            states.add(Trees.describe(src));
        }
        assertThat(FilesSourceTest.names(chain.get(3)[0])).contains("logs/app.log");
        assertThat(FilesSourceTest.names(chain.get(4)[0])).contains(".caravan-append/logs/app.log");
        for (int upTo = 0; upTo < chain.size(); upTo++) {
            assertThat(restoreChain(src, upTo + 1)).as("state after backup " + upTo).isEqualTo(states.get(upTo));
        }
    }

    @Test
    void unchanged_big_files_keep_their_hash_so_a_later_append_is_still_recognised() throws Exception {
        Path src = tree();
        backup(src);
        append(src.resolve("small.txt"), 1);
        backup(src);                                          // app.log unchanged here: its hash is carried on
        append(src.resolve("logs/app.log"), 1);
        Path inc = backup(src);
        assertThat(FilesSourceTest.names(inc)).contains(".caravan-append/logs/app.log");
        assertThat(restoreChain(src)).isEqualTo(Trees.describe(src));
    }

    @Test
    void restore_refuses_to_add_new_bytes_to_a_file_of_another_size() throws Exception {
        Path src = tree();
        backup(src);
        append(src.resolve("logs/app.log"), 10);
        backup(src);
        Path to = dir.resolve("restored");
        restore(src, to, 1);
        append(to.resolve("logs/app.log"), 1);                // not what the previous backup left
        assertThatThrownBy(() -> restoreIncrement(src, to, chain.get(1)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("logs/app.log").hasMessageContaining("holds " + (BIG + 1) + " bytes")
                .hasMessageContaining("left " + BIG);
    }

    @Test
    void a_tree_with_its_own_caravan_append_directory_stores_grown_files_whole() throws Exception {
        Path src = tree();
        Files.writeString(Files.createDirectories(src.resolve(".caravan-append/logs")).resolve("app.log"), "mine\n");
        backup(src);
        append(src.resolve("logs/app.log"), 10);
        Path inc = backup(src);
        assertThat(FilesSourceTest.names(inc)).contains("logs/app.log");
        assertThat(indexLine(chain.get(1)[1], "logs/app.log")).doesNotContain("appendedFrom");
        assertThat(restoreChain(src)).isEqualTo(Trees.describe(src));
    }

    private Path tree() throws IOException {
        Path src = Files.createDirectories(dir.resolve("src"));
        write(Files.createDirectories(src.resolve("logs")).resolve("app.log"), BIG);
        write(src.resolve("big.bin"), BIG);
        write(src.resolve("small.txt"), 5000);
        return src;
    }

    /** The next backup of the chain (a full first): its tar; its index is the next one's previous. */
    private Path backup(Path src) throws IOException {
        int n = chain.size();
        Path tar = dir.resolve("b" + n + ".tar");
        Path index = dir.resolve("b" + n + ".index");
        Path previous = n == 0 ? null : chain.get(n - 1)[1];
        try (OutputStream out = Files.newOutputStream(tar)) {
            source(src).dump(out, previous, index);
        }
        chain.add(new Path[] {tar, index});
        return tar;
    }

    private Map<String, String> restoreChain(Path src) throws IOException {
        return restoreChain(src, chain.size());
    }

    /** Restores the chain's first {@code count} backups into a fresh directory and describes it. */
    private Map<String, String> restoreChain(Path src, int count) throws IOException {
        Path to = dir.resolve("restored-" + count + "-" + random.nextInt(1 << 20));
        restore(src, to, count);
        return Trees.describe(to);
    }

    private void restore(Path src, Path to, int count) throws IOException {
        try (InputStream in = Files.newInputStream(chain.get(0)[0])) {
            source(src).restore(in, new RestoreRequest(to.toString(), false, false, l -> { }));
        }
        for (int i = 1; i < count; i++) {
            restoreIncrement(src, to, chain.get(i));
        }
    }

    private static void restoreIncrement(Path src, Path to, Path[] backup) throws IOException {
        try (InputStream tar = Files.newInputStream(backup[0]); InputStream index = Files.newInputStream(backup[1])) {
            source(src).restoreIncrement(tar, index, new RestoreRequest(to.toString(), true, false, l -> { }));
        }
    }

    private static FilesSource source(Path src) {
        return new FilesSource("test", Options.of("path", src.toString()));
    }

    private static String indexLine(Path index, String path) throws IOException {
        return Files.readAllLines(index).stream().filter(l -> l.startsWith("{\"path\":\"" + path + "\""))
                .findFirst().orElseThrow();
    }

    private void write(Path file, int size) throws IOException {
        byte[] b = new byte[size];
        random.nextBytes(b);
        Files.write(file, b);
    }

    private void append(Path file, int size) throws IOException {
        byte[] b = new byte[size];
        random.nextBytes(b);
        Files.write(file, b, StandardOpenOption.APPEND);
        bumpTime(file);
    }

    private static void overwrite(Path file, long at) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(at);
            int old = f.read();
            f.seek(at);
            f.write(old ^ 0x5a);
        }
        bumpTime(file);
    }

    /** A second on, so the change shows in the whole-second times the tar keeps and Trees compares. */
    private static void bumpTime(Path file) throws IOException {
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(
                Files.getLastModifiedTime(file).toMillis() + 1000));
    }
}
