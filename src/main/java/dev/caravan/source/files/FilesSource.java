package dev.caravan.source.files;

import dev.caravan.model.Options;
import dev.caravan.source.IncrementalSource;
import dev.caravan.source.RestoreRequest;
import dev.caravan.source.Source;
import dev.caravan.spi.Rules;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A directory tree (or one file) as a POSIX/PAX tar. Entry names are relative to {@code path}
 * without a leading {@code ./} and the root directory has no entry of its own, so
 * {@code tar -x -C DIR} recreates the tree inside DIR. A single-file source holds one entry named
 * after the file. SQLite databases in the tree are stored as consistent snapshots (option
 * {@code sqliteSnapshots}, default true).
 */
public final class FilesSource implements IncrementalSource {
    private static final Logger LOG = LoggerFactory.getLogger(FilesSource.class);

    private final String name;
    private final String who;
    private final Path path;
    private final PathFilter filter;
    private final boolean sqliteSnapshots;

    public FilesSource(String name, Options options) {
        this.name = name;
        this.who = "files '" + name + "'";
        this.path = Path.of(options.string("path").orElseThrow(
                () -> new IllegalArgumentException("files source '" + name + "': option 'path' is required")));
        Rules.refuse("files '" + name + "'", PathFilter.problems(options.strings("include"), options.strings("exclude")));
        this.filter = new PathFilter(options.strings("include"), options.strings("exclude"));
        this.sqliteSnapshots = options.bool("sqliteSnapshots", true);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String extension() {
        return "tar";
    }

    @Override
    public String toolVersion() {
        return "caravan-tar 1";
    }

    /**
     * Writes the tar of {@code path}; files that vanish meanwhile are skipped and logged; SQLite
     * databases go in as snapshots, without their -wal/-shm. Does not close {@code out}.
     */
    @Override
    public void dump(OutputStream out) throws IOException {
        try {
            new TarDumper(filter, sqliteSnapshots, note -> LOG.warn("files source '{}': {}", name, note)).dump(path, out);
        } catch (IOException e) {
            throw named(e);
        }
    }

    @Override
    public String indexExtension() {
        return "index.jsonl";
    }

    /** The tar of what changed since {@code previousIndex} (everything when null), and the new index. */
    @Override
    public void dump(OutputStream out, Path previousIndex, Path indexOut) throws IOException {
        try {
            Map<String, FileIndex.Entry> previous = previousIndex == null ? null : FileIndex.read(previousIndex);
            try (FileIndex.Writer index = new FileIndex.Writer(indexOut)) {
                new TarDumper(filter, sqliteSnapshots, note -> LOG.warn("files source '{}': {}", name, note), previous, index).dump(path, out);
            }
        } catch (IOException e) {
            throw named(e);
        }
    }

    /**
     * Removes the paths the index lists as deleted (never following a symlink), then unpacks the tar
     * over the tree; a file the index lists as appended gets the tar's new bytes added to its end.
     */
    @Override
    public void restoreIncrement(InputStream dump, InputStream index, RestoreRequest request) throws IOException {
        try {
            applyIncrement(dump, index, request);
        } catch (IOException e) {
            throw named(e);
        }
    }

    private void applyIncrement(InputStream dump, InputStream index, RestoreRequest request) throws IOException {
        // the chain's full was restored first, so in place the path now shows what the source is
        Path targetDir = request.target() != null ? Path.of(request.target())
                : Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) ? path : path.toAbsolutePath().getParent();
        targetDir = targetDir.toAbsolutePath().normalize();
        FileIndex.Changes changes = FileIndex.changes(index);
        List<String> deleted = changes.deleted();
        for (String rel : deleted) {
            String safe = TarRestorer.safeName(rel);
            if (safe == null) {
                continue;
            }
            Path victim = targetDir.resolve(safe).normalize();
            if (!victim.startsWith(targetDir) || victim.equals(targetDir)) {
                throw new IOException("restore refused deletion of '" + rel + "': it is outside the target");
            }
            if (request.dryRun()) {
                request.log().accept("would delete " + victim);
            } else {
                deleteTree(victim);
            }
        }
        if (!request.dryRun()) {
            Files.createDirectories(targetDir);
            targetDir = targetDir.toRealPath();
        }
        request.log().accept((request.dryRun() ? "would delete " : "deleted ") + deleted.size() + " paths");
        new TarRestorer(targetDir, request.dryRun(), request.log(), changes.appended())
                .restore(new BufferedInputStream(dump, 64 * 1024));
    }

    /** Deletes a path and, for a directory, what is under it; a symlink is removed, never followed. */
    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(p)) {
                for (Path child : s) {
                    deleteTree(child);
                }
            }
        }
        Files.delete(p);
    }

    /**
     * Restores into {@code request.target()} (a directory) or, without one, back to {@code path}
     * (for a single-file source: into its parent directory). A non-empty target directory (or an
     * existing file, for a single-file source restored in place) is refused unless {@code force}.
     */
    @Override
    public void restore(InputStream in, RestoreRequest request) throws IOException {
        try {
            restoreTree(in, request);
        } catch (IOException e) {
            throw named(e);
        }
    }

    private void restoreTree(InputStream in, RestoreRequest request) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 64 * 1024);
        Path targetDir;
        if (request.target() != null) {
            targetDir = Path.of(request.target());
            refuseNonEmpty(targetDir, request.force());
        } else if (isSingleFileArchive(buffered)) {
            targetDir = path.toAbsolutePath().getParent();
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS) && !request.force()) {
                throw new IOException("restore target " + path + " exists; use --force to overwrite it");
            }
        } else {
            targetDir = path;
            refuseNonEmpty(targetDir, request.force());
        }
        targetDir = targetDir.toAbsolutePath().normalize();
        if (!request.dryRun()) {
            Files.createDirectories(targetDir);
            targetDir = targetDir.toRealPath();
        }
        new TarRestorer(targetDir, request.dryRun(), request.log()).restore(buffered);
    }

    @Override
    public void readIndexThrough(InputStream index) throws IOException {
        FileIndex.changes(index);
    }

    /** Parses the whole tar and reads every byte (verify --deep). */
    @Override
    public void readThrough(InputStream in) throws IOException {
        try {
            TarFormat.readThrough(in);
        } catch (IOException e) {
            throw named(e);
        }
    }

    /**
     * The failure as one sentence that names the source, as every kind's do: {@code files 'chroma':
     * restore target /srv/x is not empty; ...}. A missing or unreadable path says so after its name.
     */
    private IOException named(IOException e) {
        String m = e.getMessage();
        if (m != null && m.startsWith(who + ": ")) {
            return e;
        }
        String why = e instanceof NoSuchFileException f && f.getReason() == null ? m + ": no such file or directory"
                : e instanceof AccessDeniedException f && f.getReason() == null ? m + ": permission denied"
                : m != null ? m : e.toString();
        return new IOException(who + ": " + why, e);
    }

    private static void refuseNonEmpty(Path dir, boolean force) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS) || force) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new IOException("restore target " + dir + " is not a directory");
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            if (s.iterator().hasNext()) {
                throw new IOException("restore target " + dir + " is not empty; use --force to restore over it");
            }
        }
    }

    /**
     * Whether the dump came from a single file: {@code path} is not a directory now and the first
     * entry is a plain file named like it. Peeks at the first header without consuming it.
     */
    private boolean isSingleFileArchive(BufferedInputStream in) throws IOException {
        if (Files.isDirectory(path) || path.getFileName() == null) {
            return false;
        }
        in.mark(64 * 1024);
        try {
            TarArchiveInputStream tar = new TarArchiveInputStream(new NoClose(in), "UTF-8");
            TarArchiveEntry first = tar.getNextEntry();
            return first != null && first.isFile() && first.getName().equals(path.getFileName().toString());
        } finally {
            in.reset();
        }
    }

    private static final class NoClose extends java.io.FilterInputStream {
        NoClose(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // the caller goes on reading
        }
    }
}
