package dev.caravan.source.tool;

import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteOpenMode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A consistent copy of a live SQLite database: sqlite-jdbc's online backup with all pages in one
 * step inside one read transaction (a stepwise copy restarts whenever another connection writes
 * and may never finish under load). The copy is self-contained: no -wal or -shm is needed with it.
 * Shared by the sqlite source, the files source (SQLite files inside a backed-up directory) and
 * the postgres source's SQLite export, so it lives with the kinds' shared tools.
 */
public final class SqliteSnapshot {
    /** The first 16 bytes of every SQLite 3 database file. */
    public static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    private SqliteSnapshot() {
    }

    /** Whether {@code bytes[0..length)} starts with {@link #MAGIC}. */
    public static boolean hasMagic(byte[] bytes, int length) {
        if (length < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /** Copies the database at {@code live} into the new file {@code copy}, waiting up to 30 s for a writer's lock. */
    public static void copy(Path live, Path copy) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setOpenMode(SQLiteOpenMode.READWRITE);
        config.setBusyTimeout(30_000);
        try (Connection c = config.createConnection("jdbc:sqlite:" + live)) {
            ((SQLiteConnection) c).getDatabase().backup("main", copy.toString(), null, 100, 3, -1);
        }
    }
}
