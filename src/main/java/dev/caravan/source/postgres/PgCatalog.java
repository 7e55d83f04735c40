package dev.caravan.source.postgres;

import dev.caravan.source.tool.Tool;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The base tables of a database (outside the system schemas) and their columns, read with psql. */
record PgCatalog(List<Table> tables) {

    record Column(String name, String type) {
    }

    record Table(String schema, String name, List<Column> columns) {
        /** {@code public.characters}, the export's name for the table. */
        String qualified() {
            return schema + "." + name;
        }

        String sql() {
            return PgConnection.identifier(schema) + "." + PgConnection.identifier(name);
        }
    }

    private static final String QUERY = "SELECT c.table_schema, c.table_name, c.column_name, c.data_type"
            + " FROM information_schema.columns c JOIN information_schema.tables t"
            + " ON t.table_schema = c.table_schema AND t.table_name = c.table_name"
            + " WHERE t.table_type = 'BASE TABLE' AND c.table_schema NOT IN ('pg_catalog', 'information_schema')"
            + " AND c.table_schema NOT LIKE 'pg_toast%'"
            + " ORDER BY c.table_schema, c.table_name, c.ordinal_position";

    static PgCatalog read(String who, PgConnection connection) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> cmd = psql(who, connection);
        cmd.add("--field-separator=\u001f");
        cmd.add("--command=" + QUERY);
        connection.run(who, cmd).env("PGCLIENTENCODING", "UTF8").stdout(out).run();
        Map<String, Table> tables = new LinkedHashMap<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            String[] f = line.split("\u001f", -1);
            if (f.length == 4) {
                tables.computeIfAbsent(f[0] + "\u001f" + f[1], k -> new Table(f[0], f[1], new ArrayList<>()))
                        .columns().add(new Column(f[2], f[3]));
            }
        }
        return new PgCatalog(List.copyOf(tables.values()));
    }

    /** {@code psql -X -A -t -q} with ON_ERROR_STOP against the source database. */
    static List<String> psql(String who, PgConnection connection) throws IOException {
        Path psql = Tool.require(who, PostgresSource.HINT, "psql");
        List<String> cmd = new ArrayList<>(List.of(psql.toString(), "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1"));
        cmd.addAll(connection.args());
        cmd.add("--dbname=" + connection.database());
        return cmd;
    }
}
