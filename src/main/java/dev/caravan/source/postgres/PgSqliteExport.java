package dev.caravan.source.postgres;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.source.RestoreRequest;
import dev.caravan.source.tool.DumpFiles;
import dev.caravan.source.tool.ScratchDir;
import dev.caravan.source.tool.SqliteSnapshot;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The database as one SQLite file: a table {@code <schema>.<table>} per PostgreSQL table, columns
 * in order. Integers and booleans (0/1) become INTEGER, real and double REAL, bytea BLOB; numeric
 * stays exact decimal TEXT; dates and times are ISO 8601 TEXT; json, jsonb, arrays and the rest are
 * their JSON text.
 */
final class PgSqliteExport extends PgExport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

    PgSqliteExport(String source, PgConnection connection) {
        super(source, "sqlite", connection);
    }

    @Override
    public String extension() {
        return "sqlite";
    }

    @Override
    public void dump(OutputStream out) throws IOException {
        PgCatalog catalog = PgCatalog.read(who, connection);
        try (ScratchDir tmp = ScratchDir.create("caravan-pgexport-")) {
            Path file = tmp.resolve("export.sqlite");
            try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file)) {
                try (Statement s = db.createStatement()) {
                    s.execute("PRAGMA journal_mode=OFF");
                    s.execute("PRAGMA synchronous=OFF");
                }
                db.setAutoCommit(false);
                PgRows.read(who, connection, catalog, new Writer(db));
                db.commit();
            } catch (SQLException e) {
                throw new IOException(who + ": writing the SQLite file failed: " + e.getMessage(), e);
            }
            Files.copy(file, out);
        }
    }

    /** Creates each table when its rows begin; inserts rows with a prepared statement. */
    private final class Writer implements PgRows.Sink {
        private final Connection db;
        private PgCatalog.Table table;
        private PreparedStatement insert;

        Writer(Connection db) {
            this.db = db;
        }

        @Override
        public void table(PgCatalog.Table t) throws IOException {
            try {
                if (insert != null) {
                    insert.close();
                }
                table = t;
                StringBuilder create = new StringBuilder("CREATE TABLE ").append(quote(t.qualified())).append(" (");
                StringBuilder marks = new StringBuilder();
                for (int i = 0; i < t.columns().size(); i++) {
                    PgCatalog.Column c = t.columns().get(i);
                    create.append(i == 0 ? "" : ", ").append(quote(c.name())).append(' ').append(affinity(c.type()));
                    marks.append(i == 0 ? "?" : ", ?");
                }
                try (Statement s = db.createStatement()) {
                    s.execute(create.append(')').toString());
                }
                insert = db.prepareStatement("INSERT INTO " + quote(t.qualified()) + " VALUES (" + marks + ")");
            } catch (SQLException e) {
                throw new IOException(who + ": creating table " + t.qualified() + " in the SQLite file failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void row(byte[] json, int length) throws IOException {
            JsonNode row = JSON.readTree(json, 0, length);
            try {
                List<PgCatalog.Column> columns = table.columns();
                for (int i = 0; i < columns.size(); i++) {
                    bind(insert, i + 1, columns.get(i).type(), row.get(columns.get(i).name()));
                }
                insert.executeUpdate();
            } catch (SQLException e) {
                throw new IOException(who + ": inserting a row of " + table.qualified() + " failed: " + e.getMessage(), e);
            }
        }
    }

    static String affinity(String pgType) {
        return switch (pgType.toLowerCase(Locale.ROOT)) {
            case "smallint", "integer", "bigint", "boolean" -> "INTEGER";
            case "real", "double precision" -> "REAL";
            case "bytea" -> "BLOB";
            default -> "TEXT";
        };
    }

    private static void bind(PreparedStatement st, int i, String pgType, JsonNode v) throws SQLException {
        if (v == null || v.isNull()) {
            st.setObject(i, null);
            return;
        }
        switch (affinity(pgType)) {
            case "INTEGER" -> st.setLong(i, v.isBoolean() ? (v.booleanValue() ? 1 : 0) : v.longValue());
            case "REAL" -> {
                if (v.isNumber()) {
                    st.setDouble(i, v.doubleValue());
                } else {
                    st.setString(i, v.asText()); // NaN, Infinity
                }
            }
            case "BLOB" -> st.setBytes(i, HexFormat.of().parseHex(v.asText().substring(2)));
            default -> st.setString(i, v.isTextual() ? v.textValue() : v.isBigDecimal() ? v.decimalValue().toPlainString() : v.toString());
        }
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    @Override
    void writeFiles(InputStream in, Path dir, RestoreRequest request) throws IOException {
        Path file = dir.resolve(connection.database() + ".sqlite");
        request.log().accept(who + ": " + (request.dryRun() ? "would write " : "writing ") + file);
        if (request.dryRun()) {
            return;
        }
        DumpFiles.write(who, in, file, request.force());
    }

    /** Spools the file and runs {@code PRAGMA integrity_check}. */
    @Override
    public void readThrough(InputStream in) throws IOException {
        try (ScratchDir tmp = ScratchDir.create("caravan-pgexport-")) {
            Path f = tmp.resolve("check.sqlite");
            Files.copy(in, f);
            byte[] head;
            try (InputStream h = Files.newInputStream(f)) {
                head = h.readNBytes(16);
            }
            if (!SqliteSnapshot.hasMagic(head, head.length)) {
                throw new IOException(who + ": not a SQLite file (bad header)");
            }
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + f); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
                String first = rs.next() ? rs.getString(1) : "no answer";
                if (!"ok".equals(first)) {
                    throw new IOException(who + ": the SQLite file is damaged: " + first);
                }
            } catch (SQLException e) {
                throw new IOException(who + ": the SQLite file is damaged: " + e.getMessage(), e);
            }
        }
    }
}
