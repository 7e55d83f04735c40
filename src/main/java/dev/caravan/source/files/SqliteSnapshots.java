package dev.caravan.source.files;

import dev.caravan.source.tool.ScratchDir;
import dev.caravan.source.tool.SqliteSnapshot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * SQLite databases inside a backed-up directory (a vector store's {@code chroma.sqlite3}): each is
 * copied with SQLite's online backup into a private temp file and that copy goes into the tar, so
 * the archive never holds a database torn mid-transaction. The copy is self-contained, so the
 * database's {@code -wal}, {@code -shm} and {@code -journal} files are left out. A file that starts
 * like a database but cannot be opened as one is copied as it is, with a note.
 */
final class SqliteSnapshots implements AutoCloseable {
    private static final String[] COMPANIONS = {"-wal", "-shm", "-journal"};

    /** How a snapshot file becomes the tar entry of the live file. */
    interface Sink {
        void put(Path snapshot, String rel, Map<String, Object> attrs) throws IOException;
    }

    private final Consumer<String> notes;
    private final Set<Path> snapshotted = new HashSet<>();
    private ScratchDir scratch;

    SqliteSnapshots(Consumer<String> notes) {
        this.notes = notes;
    }

    /** Snapshots {@code live} and hands the copy to {@code sink}; false when it is not a usable database. */
    boolean write(Path live, String rel, Map<String, Object> attrs, Sink sink) throws IOException {
        if (scratch == null) {
            scratch = ScratchDir.create("caravan-files-sqlite-");
        }
        Path copy = scratch.resolve("snapshot.db");
        try {
            Files.deleteIfExists(copy);
            SqliteSnapshot.copy(live, copy);
        } catch (SQLException e) {
            notes.accept(rel + " looks like a SQLite database but could not be snapshotted (" + e.getMessage()
                    + "); stored as it is on disk");
            return false;
        }
        if (!looksLikeDatabase(copy)) {
            // SQLite takes a file shorter than one page for an empty database and copies nothing
            notes.accept(rel + " starts like a SQLite database but holds no pages; stored as it is on disk");
            return false;
        }
        sink.put(copy, rel, attrs);
        Files.deleteIfExists(copy);
        snapshotted.add(live);
        return true;
    }

    private static boolean looksLikeDatabase(Path copy) throws IOException {
        if (!Files.exists(copy)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(copy)) {
            byte[] head = in.readNBytes(SqliteSnapshot.MAGIC.length);
            return SqliteSnapshot.hasMagic(head, head.length);
        }
    }

    /** Whether {@code file} is the -wal, -shm or -journal of a database already stored as a snapshot. */
    boolean isCompanion(Path file) {
        if (snapshotted.isEmpty()) {
            return false;
        }
        String name = file.getFileName().toString();
        for (String suffix : COMPANIONS) {
            if (name.endsWith(suffix)) {
                return snapshotted.contains(file.resolveSibling(name.substring(0, name.length() - suffix.length())));
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        if (scratch != null) {
            scratch.close();
        }
    }
}
