package dev.caravan.source.sqlite;

import dev.caravan.model.DrillSpec;
import dev.caravan.model.SourceSpec;
import dev.caravan.source.Scratch;
import dev.caravan.source.tool.ScratchDir;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** A SQLite database file in a temporary directory; checks run their SQL through sqlite-jdbc, read-only. */
final class SqliteScratch implements Scratch {
    private final ScratchDir dir;
    private final Path file;

    SqliteScratch(SourceSpec spec) throws IOException {
        this.dir = ScratchDir.create("caravan-drill-sqlite-");
        this.file = dir.resolve("drill.db");
    }

    @Override
    public String target() {
        return file.toString();
    }

    @Override
    public long measure(DrillSpec.Check check) throws IOException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + file + "?mode=ro");
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery(check.query())) {
            if (!r.next()) {
                throw new IOException("check '" + check.what() + "' returned no row");
            }
            return Scratch.number(check, String.valueOf(r.getObject(1)));
        } catch (SQLException e) {
            throw new IOException("check '" + check.what() + "' failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        dir.close();
    }
}
