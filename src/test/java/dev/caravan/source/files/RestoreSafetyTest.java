package dev.caravan.source.files;

import dev.caravan.model.Options;
import dev.caravan.source.RestoreRequest;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Hostile archives, built by hand, must not write outside the restore target. */
class RestoreSafetyTest {
    @TempDir
    Path dir;

    @Test
    void restore_refuses_an_entry_that_climbs_out_with_dot_dot() throws Exception {
        Path tar = archive(new Item("ok.txt", null), new Item("../evil", null));
        assertThatThrownBy(() -> restore(tar, dir.resolve("target"), false))
                .isInstanceOf(IOException.class)
                .hasMessage("files 'hostile': restore refused entry '../evil': it climbs out of the target with '..'");
        assertThat(dir.resolve("evil")).doesNotExist();
    }

    @Test
    void restore_refuses_an_absolute_path() throws Exception {
        Path victim = dir.resolve("abs-victim");
        Path tar = archive(new Item(victim.toString(), null));
        assertThatThrownBy(() -> restore(tar, dir.resolve("target"), false))
                .isInstanceOf(IOException.class)
                .hasMessage("files 'hostile': restore refused entry '" + victim + "': it is an absolute path");
        assertThat(victim).doesNotExist();
    }

    @Test
    void restore_refuses_a_file_written_through_a_symlink_the_archive_made() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Path tar = archive(new Item("link", outside.toString()), new Item("link/evil", null));
        assertThatThrownBy(() -> restore(tar, dir.resolve("target"), false))
                .isInstanceOf(IOException.class)
                .hasMessage("files 'hostile': restore refused entry 'link/evil': it goes through the symlink link made by this archive");
        assertThat(outside.resolve("evil")).doesNotExist();
        // the dry run sees it too
        assertThatThrownBy(() -> restore(tar, dir.resolve("target2"), true))
                .hasMessageContaining("goes through the symlink link");
    }

    @Test
    void restore_refuses_a_file_written_through_a_symlink_already_in_the_target() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Path target = Files.createDirectories(dir.resolve("target"));
        Files.createSymbolicLink(target.resolve("link"), outside);
        Path tar = archive(new Item("link/evil", null));
        assertThatThrownBy(() -> restoreForced(tar, target))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("restore refused entry 'link/evil': its parent")
                .hasMessageContaining("is a symlink, and restore never writes through symlinks");
        assertThat(outside.resolve("evil")).doesNotExist();
    }

    @Test
    void restore_replaces_a_symlink_at_a_file_path_instead_of_following_it() throws Exception {
        Path victim = Files.writeString(dir.resolve("victim.txt"), "untouched");
        Path target = Files.createDirectories(dir.resolve("target"));
        Files.createSymbolicLink(target.resolve("file.txt"), victim);
        restoreForced(archive(new Item("file.txt", null)), target);
        assertThat(victim).hasContent("untouched");
        assertThat(target.resolve("file.txt")).isRegularFile().hasContent("content of file.txt");
    }

    private record Item(String name, String symlinkTarget) {
    }

    private Path archive(Item... items) throws IOException {
        Path tar = dir.resolve("hostile-" + System.nanoTime() + ".tar");
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(tar))) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Item item : items) {
                if (item.symlinkTarget() != null) {
                    TarArchiveEntry e = new TarArchiveEntry(item.name(), TarConstants.LF_SYMLINK, true);
                    e.setLinkName(item.symlinkTarget());
                    out.putArchiveEntry(e);
                } else {
                    byte[] body = ("content of " + item.name()).getBytes(StandardCharsets.UTF_8);
                    TarArchiveEntry e = new TarArchiveEntry(item.name(), TarConstants.LF_NORMAL, true);
                    e.setSize(body.length);
                    out.putArchiveEntry(e);
                    out.write(body);
                }
                out.closeArchiveEntry();
            }
        }
        return tar;
    }

    private void restore(Path tar, Path target, boolean dryRun) throws IOException {
        try (InputStream in = Files.newInputStream(tar)) {
            source().restore(in, new RestoreRequest(target.toString(), false, dryRun, l -> { }));
        }
    }

    private void restoreForced(Path tar, Path target) throws IOException {
        try (InputStream in = Files.newInputStream(tar)) {
            source().restore(in, new RestoreRequest(target.toString(), true, false, l -> { }));
        }
    }

    private FilesSource source() {
        return new FilesSource("hostile", Options.of("path", dir.resolve("unused").toString()));
    }

}
