package dev.caravan.source.postgres;

import dev.caravan.source.RestoreRequest;
import dev.caravan.source.tool.ScratchDir;
import dev.caravan.source.tool.Tool;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads a pg_dump archive into a database: creates the database when it is missing, refuses a
 * non-empty one unless forced, then pg_restore (custom, directory) or psql (plain SQL).
 */
final class PgRestore {
    private static final String COUNT_OBJECTS = "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'"
            + " AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')";

    private final String who;
    private final PgFormat format;
    private final int jobs;
    private final PgConnection target;

    PgRestore(String who, PgFormat format, int jobs, PgConnection target) {
        this.who = who;
        this.format = format;
        this.jobs = jobs;
        this.target = target;
    }

    void restore(InputStream in, RestoreRequest request) throws IOException {
        Path psql = Tool.require(who, PostgresSource.HINT, "psql");
        String db = target.database();
        boolean exists = "1".equals(query(psql, "postgres",
                "SELECT 1 FROM pg_database WHERE datname = " + PgConnection.literal(db)));
        long objects = exists ? Long.parseLong(query(psql, db, COUNT_OBJECTS)) : 0;
        if (objects > 0 && !request.force()) {
            throw new IOException(who + ": database " + target.describe() + " is not empty (" + objects
                    + " tables, views or sequences); restore with --force to replace its objects");
        }
        String what = (exists ? "" : "create database and ") + "restore " + format.name().toLowerCase(java.util.Locale.ROOT) + " dump into "
                + target.describe() + (objects > 0 ? ", replacing existing objects" : "");
        request.log().accept(who + ": " + (request.dryRun() ? "would " : "") + what);
        if (request.dryRun()) {
            return;
        }
        if (exists && objects > 0 && format == PgFormat.PLAIN) {
            // a plain dump has no DROP statements: start from an empty database instead
            query(psql, "postgres", "DROP DATABASE " + PgConnection.identifier(db) + " WITH (FORCE)");
            exists = false;
        }
        if (!exists) {
            query(psql, "postgres", "CREATE DATABASE " + PgConnection.identifier(db));
        }
        switch (format) {
            case PLAIN -> {
                List<String> cmd = new ArrayList<>(List.of(psql.toString()));
                cmd.addAll(target.args());
                cmd.addAll(List.of("--quiet", "--no-psqlrc", "--set=ON_ERROR_STOP=1", "--single-transaction",
                        "--dbname=" + db, "--file=-"));
                target.run(who, cmd).stdin(in).run();
            }
            case CUSTOM -> target.run(who, pgRestore(objects > 0, List.of("--single-transaction"))).stdin(in).run();
            case DIRECTORY -> {
                try (ScratchDir tmp = ScratchDir.create("caravan-pgrestore-")) {
                    PgDirectoryTar.read(who, in, tmp.path());
                    target.run(who, pgRestore(objects > 0, List.of("--jobs=" + jobs, tmp.path().toString()))).run();
                }
            }
        }
        request.log().accept(who + ": restored into " + target.describe());
    }

    private List<String> pgRestore(boolean clean, List<String> extra) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Tool.require(who, PostgresSource.HINT, "pg_restore").toString()));
        cmd.addAll(target.args());
        cmd.add("--exit-on-error");
        if (clean) {
            cmd.add("--clean");
            cmd.add("--if-exists");
        }
        cmd.add("--dbname=" + target.database());
        cmd.addAll(extra);
        return cmd;
    }

    private String query(Path psql, String database, String sql) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(psql.toString()));
        cmd.addAll(target.args());
        cmd.addAll(List.of("--no-psqlrc", "--tuples-only", "--no-align", "--set=ON_ERROR_STOP=1",
                "--dbname=" + database, "--command=" + sql));
        return target.run(who, cmd).output();
    }
}
