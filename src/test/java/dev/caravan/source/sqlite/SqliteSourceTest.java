package dev.caravan.source.sqlite;

import dev.caravan.model.Options;
import dev.caravan.model.SourceSpec;
import dev.caravan.source.Source;
import dev.caravan.source.SourceContract;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class SqliteSourceTest extends SourceContract {
    private Path db;

    static Source source(String name, Path path) {
        return new SqliteSourceKind().create(new SourceSpec("sqlite", name, 1, Options.of("path", path.toString())));
    }

    private static void exec(Path file, String... sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.executeUpdate(q);
            }
        }
    }

    private static String query(Path file, String sql) throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= n; i++) {
                    out.append(rs.getString(i)).append(i < n ? "|" : "\n");
                }
            }
        }
        return out.toString();
    }

    @Override
    protected Source sourceWithKnownData() throws Exception {
        db = scratch.resolve("prompts-" + System.nanoTime() + ".db");
        exec(db, "CREATE TABLE prompts (id INTEGER PRIMARY KEY, body TEXT, weight REAL, raw BLOB)",
                "INSERT INTO prompts (body, weight, raw) VALUES ('You are a bard', 0.5, x'00ff'), ('Zoë''s \"line\"', 2, NULL)",
                "CREATE INDEX by_weight ON prompts (weight)");
        return source("prompts", db);
    }

    @Override
    protected String freshTarget() {
        return scratch.resolve("restored-" + System.nanoTime() + ".db").toString();
    }

    @Override
    protected Object contents(String target) throws Exception {
        Path f = target == null ? db : Path.of(target);
        return query(f, "SELECT id, body, weight, hex(raw) FROM prompts ORDER BY id")
                + query(f, "SELECT name, sql FROM sqlite_master ORDER BY name");
    }

    @Override
    protected Source unreachableSource() {
        return source("gone", scratch.resolve("missing.db"));
    }

    @Override
    protected String who() {
        return "sqlite 'prompts'";
    }

    @Test
    void a_dump_taken_during_concurrent_writes_is_one_consistent_snapshot() throws Exception {
        for (String journal : new String[] {"WAL", "DELETE"}) {
            Path file = scratch.resolve("ledger-" + journal + ".db");
            exec(file, "PRAGMA journal_mode=" + journal, "CREATE TABLE debit (id INTEGER PRIMARY KEY, amount INT, pad TEXT)",
                    "CREATE TABLE credit (id INTEGER PRIMARY KEY, amount INT, pad TEXT)",
                    "WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < 50000)"
                            + " INSERT INTO debit (amount, pad) SELECT x, printf('%.200c', 'x') FROM g",
                    "INSERT INTO credit SELECT * FROM debit");
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Exception> failed = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
                    s.execute("PRAGMA busy_timeout = 30000");
                    c.setAutoCommit(false);
                    for (int i = 0; !stop.get(); i++) {
                        s.executeUpdate("INSERT INTO debit (amount) VALUES (" + i + ")");
                        s.executeUpdate("INSERT INTO credit (amount) VALUES (" + i + ")");
                        c.commit();
                    }
                } catch (Exception e) {
                    failed.set(e);
                }
            });
            writer.start();
            Thread.sleep(200);
            Source s = source("ledger", file);
            Path dump = dumpToFile(s);
            stop.set(true);
            writer.join();
            assertThat(failed.get()).as(journal + " writer").isNull();

            Path restored = scratch.resolve("restored-" + journal + ".db");
            try (InputStream in = Files.newInputStream(dump)) {
                s.restore(in, request(restored.toString(), false));
            }
            assertThat(query(restored, "SELECT count(*), sum(amount) FROM debit"))
                    .as(journal).isEqualTo(query(restored, "SELECT count(*), sum(amount) FROM credit"));
            assertThat(query(restored, "PRAGMA integrity_check")).isEqualTo("ok\n");
        }
    }

    @Test
    void a_forced_restore_over_the_live_file_puts_the_data_back() throws Exception {
        Source s = sourceWithKnownData();
        Object before = contents(null);
        Path dump = dumpToFile(s);
        exec(db, "UPDATE prompts SET body = 'changed'", "CREATE TABLE extra (x)");
        try (InputStream in = Files.newInputStream(dump)) {
            s.restore(in, request(null, true));
        }
        assertThat(contents(null)).isEqualTo(before);
    }

    @Test
    void a_directory_target_gets_the_file_under_its_own_name() throws Exception {
        Source s = sourceWithKnownData();
        Path dump = dumpToFile(s);
        Path dir = Files.createDirectories(scratch.resolve("out"));
        try (InputStream in = Files.newInputStream(dump)) {
            s.restore(in, request(dir.toString(), false));
        }
        assertThat(contents(dir.resolve(db.getFileName()).toString())).isEqualTo(contents(null));
    }
}
