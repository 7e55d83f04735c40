package dev.caravan.source.files;

import dev.caravan.format.Age;
import dev.caravan.format.Compressors;
import dev.caravan.model.Encryption;
import dev.caravan.model.Options;
import dev.caravan.source.RestoreRequest;
import dev.caravan.source.Source;
import dev.caravan.source.SourceContract;
import dev.caravan.testing.StockTools;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FilesSourceTest extends SourceContract {
    @TempDir
    Path dir;
    private Path live;

    /** The awkward tree (long and non-ASCII names, links, modes, empty directories), made once per test. */
    @Override
    protected Source sourceWithKnownData() throws IOException {
        if (live == null) {
            live = Trees.awkward(scratch.resolve("live"));
        }
        return source(live);
    }

    @Override
    protected String freshTarget() {
        return scratch.resolve("fresh-" + System.nanoTime()).toString();
    }

    @Override
    protected Object contents(String target) throws IOException {
        return Trees.describe(target == null ? live : Path.of(target));
    }

    /** The files kind's "server that does not answer": a path that is not there. */
    @Override
    protected Source unreachableSource() {
        return new FilesSource("gone", Options.of("path", scratch.resolve("no-such-dir").toString()));
    }

    @Override
    protected String who() {
        return "files 'test'";
    }

    @Test
    void awkward_tree_round_trips_byte_identical_with_modes_times_and_links() throws Exception {
        Path src = Trees.awkward(dir.resolve("src"));
        Path tar = dump(source(src), dir.resolve("src.tar"));
        Path out = dir.resolve("out");
        List<String> log = new ArrayList<>();
        try (InputStream in = Files.newInputStream(tar)) {
            source(src).restore(in, new RestoreRequest(out.toString(), false, false, log::add));
        }
        assertThat(Trees.describe(out)).isEqualTo(Trees.describe(src));
        assertThat(log).singleElement().asString().startsWith("restored 7 files (5242948 bytes), 5 directories, 2 links into ");
    }

    @Test
    void stock_tar_extracts_our_archive_to_the_same_tree_with_names_relative_to_path() throws Exception {
        Path src = Trees.awkward(dir.resolve("src"));
        Path tar = dump(source(src), dir.resolve("src.tar"));
        Path out = Files.createDirectories(dir.resolve("stock"));
        StockTools.run(List.of("tar", "-x", "-f", tar.toString(), "-C", out.toString()), null, null);
        assertThat(Trees.describe(out)).isEqualTo(Trees.describe(src));
        String listing = StockTools.run(List.of("tar", "-t", "-f", tar.toString()), null, null);
        assertThat(listing.lines().toList())
                .startsWith("deep/", "deep/er/", "deep/er/" + Trees.LONG_NAME, "empty/", "empty/nested-empty/")
                .contains("päivä/日本語.txt", "link-to-dir", "zero.bin")
                .noneMatch(l -> l.startsWith("./") || l.startsWith("/"));
    }

    @Test
    void zstd_and_age_pipeline_restores_with_stock_age_zstd_and_tar() throws Exception {
        Path src = Trees.awkward(dir.resolve("src"));
        Path key = dir.resolve("key.txt");
        StockTools.run(List.of("age-keygen", "-o", key.toString()), null, null);
        String recipient = StockTools.run(List.of("age-keygen", "-y", key.toString()), null, null).strip();
        Path object = dir.resolve("src.tar.zst.age");
        try (OutputStream out = Compressors.get("zstd").compress(
                Age.encrypt(Files.newOutputStream(object), new Encryption(List.of(recipient), null)), 3, 2)) {
            source(src).dump(out);
        }
        Path out = Files.createDirectories(dir.resolve("out"));
        StockTools.shell("age -d -i '" + key + "' '" + object + "' | zstd -d | tar -x -C '" + out + "'");
        assertThat(Trees.describe(out)).isEqualTo(Trees.describe(src));

        Path ours = dir.resolve("ours");
        try (InputStream in = Compressors.get("zstd").decompress(Age.decrypt(Files.newInputStream(object), key))) {
            source(src).restore(in, new RestoreRequest(ours.toString(), false, false, l -> { }));
        }
        assertThat(Trees.describe(ours)).isEqualTo(Trees.describe(src));
    }

    @Test
    void excludes_prune_matching_files_and_whole_directories() throws Exception {
        Path src = filteredTree();
        FilesSource files = new FilesSource("t", Options.of("path", src.toString(), "exclude", List.of("**/*.log", "cache/**")));
        assertThat(names(dump(files, dir.resolve("t.tar"))))
                .containsExactly("keep.txt", "sub/", "sub/data.json", "sub/keep.txt");
    }

    @Test
    void includes_take_only_matching_files_and_the_directories_that_hold_them() throws Exception {
        Path src = filteredTree();
        FilesSource files = new FilesSource("t", Options.of("path", src.toString(), "include", List.of("**/*.json")));
        assertThat(names(dump(files, dir.resolve("t.tar")))).containsExactly("cache/", "cache/x.json", "sub/", "sub/data.json");
    }

    @Test
    void dumps_of_the_same_tree_are_identical() throws Exception {
        Path src = Trees.awkward(dir.resolve("src"));
        Path a = dump(source(src), dir.resolve("a.tar"));
        Path b = dump(source(src), dir.resolve("b.tar"));
        assertThat(Files.mismatch(a, b)).isEqualTo(-1L);
    }

    @Test
    void restore_refuses_a_non_empty_target_without_force() throws Exception {
        Path src = Trees.awkward(dir.resolve("src"));
        Path tar = dump(source(src), dir.resolve("src.tar"));
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.writeString(out.resolve("already-here"), "x");
        assertThatThrownBy(() -> restore(src, tar, out, false))
                .isInstanceOf(IOException.class)
                .hasMessage("files 'test': restore target " + out + " is not empty; use --force to restore over it");
        restore(src, tar, out, true);
        assertThat(Trees.describe(out)).containsAllEntriesOf(Trees.describe(src)).containsKey("already-here");
    }

    @Test
    void restore_in_place_recreates_a_deleted_tree_at_path() throws Exception {
        Path src = Trees.awkward(dir.resolve("src"));
        var before = Trees.describe(src);
        Path tar = dump(source(src), dir.resolve("src.tar"));
        StockTools.run(List.of("rm", "-rf", src.toString()), null, null);
        try (InputStream in = Files.newInputStream(tar)) {
            source(src).restore(in, new RestoreRequest(null, false, false, l -> { }));
        }
        assertThat(Trees.describe(src)).isEqualTo(before);
    }

    @Test
    void dry_run_lists_what_would_be_written_and_writes_nothing() throws Exception {
        Path src = Trees.awkward(dir.resolve("src"));
        Path tar = dump(source(src), dir.resolve("src.tar"));
        Path out = dir.resolve("out");
        List<String> log = new ArrayList<>();
        try (InputStream in = Files.newInputStream(tar)) {
            source(src).restore(in, new RestoreRequest(out.toString(), false, true, log::add));
        }
        assertThat(out).doesNotExist();
        assertThat(log).contains("would write " + out.resolve("random.bin") + " (5242880 bytes)",
                "would link " + out.resolve("link-to-dir") + " -> päivä",
                "would create directory " + out.resolve("empty/nested-empty"));
        assertThat(log.get(log.size() - 1)).startsWith("would restore 7 files (5242948 bytes), 5 directories, 2 links");
    }

    @Test
    void a_single_file_source_round_trips_in_place() throws Exception {
        Path file = Files.writeString(dir.resolve("app.conf"), "setting = 1\n");
        FilesSource one = source(file);
        Path tar = dump(one, dir.resolve("one.tar"));
        assertThat(names(tar)).containsExactly("app.conf");
        Files.delete(file);
        try (InputStream in = Files.newInputStream(tar)) {
            one.restore(in, new RestoreRequest(null, false, false, l -> { }));
        }
        assertThat(file).hasContent("setting = 1");
        assertThatThrownBy(() -> {
            try (InputStream in = Files.newInputStream(tar)) {
                one.restore(in, new RestoreRequest(null, false, false, l -> { }));
            }
        }).hasMessage("files 'test': restore target " + file + " exists; use --force to overwrite it");
    }

    @Test
    void read_through_accepts_a_whole_archive_and_fails_on_a_truncated_one() throws Exception {
        Path src = Trees.awkward(dir.resolve("src"));
        Path tar = dump(source(src), dir.resolve("src.tar"));
        try (InputStream in = Files.newInputStream(tar)) {
            source(src).readThrough(in);
        }
        byte[] bytes = Files.readAllBytes(tar);
        Path cut = Files.write(dir.resolve("cut.tar"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> {
            try (InputStream in = Files.newInputStream(cut)) {
                source(src).readThrough(in);
            }
        }).isInstanceOf(IOException.class);
    }

    private Path filteredTree() throws IOException {
        Path src = Files.createDirectories(dir.resolve("f"));
        Files.writeString(src.resolve("a.log"), "x");
        Files.writeString(src.resolve("keep.txt"), "x");
        Files.createDirectories(src.resolve("sub"));
        Files.writeString(src.resolve("sub/b.log"), "x");
        Files.writeString(src.resolve("sub/keep.txt"), "x");
        Files.writeString(src.resolve("sub/data.json"), "{}");
        Files.createDirectories(src.resolve("cache/y"));
        Files.writeString(src.resolve("cache/x.json"), "{}");
        Files.writeString(src.resolve("cache/y/z"), "x");
        Files.createDirectories(src.resolve("nothing-here"));
        Files.delete(src.resolve("nothing-here"));
        return src;
    }

    static FilesSource source(Path path) {
        return new FilesSource("test", Options.of("path", path.toString()));
    }

    static Path dump(FilesSource source, Path tar) throws IOException {
        try (OutputStream out = Files.newOutputStream(tar)) {
            source.dump(out);
        }
        return tar;
    }

    private static void restore(Path src, Path tar, Path out, boolean force) throws IOException {
        try (InputStream in = Files.newInputStream(tar)) {
            source(src).restore(in, new RestoreRequest(out.toString(), force, false, l -> { }));
        }
    }

    static List<String> names(Path tar) throws IOException {
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                names.add(e.getName());
            }
        }
        return names;
    }
}
