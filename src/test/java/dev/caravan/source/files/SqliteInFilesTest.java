package dev.caravan.source.files;

import dev.caravan.model.Options;
import dev.caravan.source.RestoreRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** A vector store's data dir: SQLite databases inside a files source are stored as consistent snapshots. */
class SqliteInFilesTest {
    @TempDir
    Path tmp;

    private static FilesSource source(Path dir, boolean snapshots) {
        return new FilesSource("chroma", Options.of("path", dir.toString(), "sqliteSnapshots", snapshots));
    }

    private static void exec(Connection c, String... sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    private static String query(Path db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            StringBuilder out = new StringBuilder();
            while (rs.next()) {
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    out.append(rs.getString(i)).append(i < rs.getMetaData().getColumnCount() ? "|" : "\n");
                }
            }
            return out.toString();
        }
    }

    /** A WAL-mode ledger with two tables that every transaction changes together. */
    private static Path ledger(Path dir) throws SQLException, IOException {
        Files.createDirectories(dir.resolve("0a1b-segment"));
        Files.writeString(dir.resolve("0a1b-segment/header.bin"), "not a database");
        Path db = dir.resolve("chroma.sqlite3");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            exec(c, "PRAGMA journal_mode=WAL", "CREATE TABLE debit (id INTEGER PRIMARY KEY, amount INT, pad TEXT)",
                    "CREATE TABLE credit (id INTEGER PRIMARY KEY, amount INT, pad TEXT)",
                    "WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < 20000)"
                            + " INSERT INTO debit (amount, pad) SELECT x, printf('%.200c', 'x') FROM g",
                    "INSERT INTO credit SELECT * FROM debit");
        }
        return db;
    }

    @Test
    void a_sqlite_database_written_during_the_dump_restores_whole_and_consistent() throws Exception {
        Path dir = tmp.resolve("chroma");
        Path db = ledger(dir);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong commits = new AtomicLong();
        AtomicReference<Exception> failed = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
                exec(c, "PRAGMA busy_timeout = 30000");
                c.setAutoCommit(false);
                for (int i = 0; !stop.get(); i++) {
                    exec(c, "INSERT INTO debit (amount, pad) VALUES (" + i + ", printf('%.500c', 'y'))",
                            "INSERT INTO credit (amount, pad) VALUES (" + i + ", printf('%.500c', 'y'))");
                    c.commit();
                    commits.incrementAndGet();
                }
            } catch (Exception e) {
                failed.set(e);
            }
        });
        writer.start();
        while (commits.get() < 50) {
            Thread.sleep(10);
        }
        assertThat(dir.resolve("chroma.sqlite3-wal")).exists();
        Path tar = FilesSourceTest.dump(source(dir, true), tmp.resolve("chroma.tar"));
        stop.set(true);
        writer.join();
        assertThat(failed.get()).isNull();

        assertThat(FilesSourceTest.names(tar)).contains("chroma.sqlite3", "0a1b-segment/header.bin")
                .doesNotContain("chroma.sqlite3-wal", "chroma.sqlite3-shm");
        Path out = tmp.resolve("restored");
        try (InputStream in = Files.newInputStream(tar)) {
            source(dir, true).restore(in, new RestoreRequest(out.toString(), false, false, l -> { }));
        }
        Path restored = out.resolve("chroma.sqlite3");
        assertThat(query(restored, "PRAGMA integrity_check")).isEqualTo("ok\n");
        String debit = query(restored, "SELECT count(*), sum(amount) FROM debit");
        assertThat(debit).isEqualTo(query(restored, "SELECT count(*), sum(amount) FROM credit"));
        assertThat(Integer.parseInt(debit.substring(0, debit.indexOf('|')))).isGreaterThan(20000);
        assertThat(out.resolve("0a1b-segment/header.bin")).hasContent("not a database");
    }

    @Test
    void with_snapshots_off_the_live_files_and_their_wal_are_copied_as_they_are() throws Exception {
        Path dir = tmp.resolve("raw");
        Path db = ledger(dir);
        try (Connection keepOpen = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            exec(keepOpen, "PRAGMA wal_autocheckpoint = 0", "INSERT INTO debit (amount) VALUES (1)");
            Path tar = FilesSourceTest.dump(source(dir, false), tmp.resolve("raw.tar"));
            assertThat(FilesSourceTest.names(tar)).contains("chroma.sqlite3", "chroma.sqlite3-wal");
        }
    }

    @Test
    void a_file_with_the_sqlite_header_that_is_no_database_is_stored_as_it_is() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("odd"));
        byte[] fake = "SQLite format 3\0 but then garbage that is not a page".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Files.write(dir.resolve("fake.db"), fake);
        Path tar = FilesSourceTest.dump(source(dir, true), tmp.resolve("odd.tar"));
        Path out = tmp.resolve("odd-out");
        try (InputStream in = Files.newInputStream(tar)) {
            source(dir, true).restore(in, new RestoreRequest(out.toString(), false, false, l -> { }));
        }
        assertThat(Files.readAllBytes(out.resolve("fake.db"))).isEqualTo(fake);
    }
}
