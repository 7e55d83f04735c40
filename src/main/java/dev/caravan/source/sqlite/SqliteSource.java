package dev.caravan.source.sqlite;

import dev.caravan.model.Options;
import dev.caravan.source.RestoreRequest;
import dev.caravan.source.Source;
import dev.caravan.source.tool.DumpFiles;
import dev.caravan.source.tool.ScratchDir;
import dev.caravan.source.tool.SqliteSnapshot;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteJDBCLoader;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;

/**
 * A SQLite database file through sqlite-jdbc's online backup API ({@link SqliteSnapshot}). The
 * copy goes to a private temp file, then to the dump stream.
 */
public final class SqliteSource implements Source {
    private static final byte[] MAGIC = SqliteSnapshot.MAGIC;

    private final String name;
    private final String who;
    private final Path path;

    public SqliteSource(String name, Options options) {
        this.name = name;
        this.who = "sqlite '" + name + "'";
        this.path = Path.of(options.string("path").orElseThrow());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String extension() {
        return "db";
    }

    @Override
    public String toolVersion() {
        try {
            return "sqlite-jdbc " + SQLiteJDBCLoader.getVersion();
        } catch (RuntimeException e) {
            return "sqlite-jdbc";
        }
    }

    @Override
    public void dump(OutputStream out) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new IOException(who + ": " + path + " does not exist or is not a file");
        }
        try (ScratchDir tmp = ScratchDir.create("caravan-sqlite-")) {
            Path copy = tmp.resolve("copy.db");
            try {
                SqliteSnapshot.copy(path, copy);
            } catch (SQLException e) {
                throw new IOException(who + ": backup of " + path + " failed: " + e.getMessage(), e);
            }
            Files.copy(copy, out);
        }
    }

    /** Spools the file and runs {@code PRAGMA integrity_check} on it. */
    @Override
    public void readThrough(InputStream in) throws IOException {
        try (ScratchDir tmp = ScratchDir.create("caravan-sqlite-")) {
            Path f = tmp.resolve("check.db");
            Files.copy(in, f);
            check(f);
        }
    }

    /**
     * Without {@code --to}: back to {@code path}. {@code --to DIR}: {@code DIR/<file name>}; any
     * other {@code --to}: that file. A new file is moved into place; an existing database is
     * overwritten (with --force) through SQLite's restore API, so open connections and WAL files
     * stay coherent.
     */
    @Override
    public void restore(InputStream in, RestoreRequest request) throws IOException {
        String target = request.target();
        Path dest = target == null ? path
                : DumpFiles.isDirectory(target) && (Files.isDirectory(Path.of(target)) || target.endsWith("/"))
                ? Path.of(target).resolve(path.getFileName()) : Path.of(target);
        boolean exists = Files.exists(dest);
        if (exists && !request.force()) {
            throw new IOException(who + ": " + dest + " already exists; restore with --force to replace it");
        }
        request.log().accept(who + ": " + (request.dryRun() ? "would " : "") + (exists ? "replace " : "write ") + dest);
        if (request.dryRun()) {
            return;
        }
        Path dir = dest.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        try (ScratchDir tmp = ScratchDir.create("caravan-sqlite-")) {
            Path f = tmp.resolve("restore.db");
            Files.copy(in, f);
            check(f);
            if (!exists) {
                DumpFiles.write(who, Files.newInputStream(f), dest, false);
                return;
            }
            SQLiteConfig config = new SQLiteConfig();
            config.setBusyTimeout(30_000);
            try (Connection c = config.createConnection("jdbc:sqlite:" + dest)) {
                ((SQLiteConnection) c).getDatabase().restore("main", f.toString(), null, 100, 3, -1);
            } catch (SQLException e) {
                throw new IOException(who + ": restore into " + dest + " failed: " + e.getMessage(), e);
            }
        }
    }

    private void check(Path f) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(f)) {
            head = in.readNBytes(MAGIC.length);
        }
        if (!Arrays.equals(head, MAGIC)) {
            throw new IOException(who + ": not a SQLite database file (bad header)");
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        try (Connection c = config.createConnection("jdbc:sqlite:" + f);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
            String first = rs.next() ? rs.getString(1) : "no answer";
            if (!"ok".equals(first)) {
                throw new IOException(who + ": the database file is damaged: " + first);
            }
        } catch (SQLException e) {
            throw new IOException(who + ": the database file is damaged: " + e.getMessage(), e);
        }
    }
}
