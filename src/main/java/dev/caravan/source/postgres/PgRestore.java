package dev.caravan.source.postgres;

import dev.caravan.source.RestoreRequest;
import dev.caravan.source.tool.ScratchDir;
import dev.caravan.source.tool.Tool;
import dev.caravan.source.tool.ToolRun;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads a pg_dump archive into a database: creates the database when it is missing, refuses a
 * non-empty one unless forced, then pg_restore (custom, directory) or psql (plain SQL).
 *
 * <p>A dump of some tables only ({@code tables}, {@code excludeTables}) may hold foreign keys to
 * tables it lacks; restored into a database without those tables, pg_restore would stop on
 * {@code relation ... does not exist} and load nothing. For such a dump in custom format, and for
 * every directory dump, the archive's table of contents is read first, the foreign keys whose
 * referenced table is neither in the archive nor in the target are left out ({@code --use-list},
 * see {@link PgDanglingForeignKeys}), and one warning names them. A custom dump of a partial plan
 * is staged in a scratch file for this (pg_restore cannot read a piped archive twice). A plain
 * dump of a partial plan streams through {@link PgPlainForeignKeys}, which drops the same
 * statements on the way to psql.
 */
final class PgRestore {
    private static final String COUNT_OBJECTS = "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'"
            + " AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')";

    private final String who;
    private final PgFormat format;
    private final int jobs;
    private final PgConnection target;
    private final boolean partial;

    /** @param partial whether the dump holds only some tables, so its foreign keys may point at tables it lacks */
    PgRestore(String who, PgFormat format, int jobs, PgConnection target, boolean partial) {
        this.who = who;
        this.format = format;
        this.jobs = jobs;
        this.target = target;
        this.partial = partial;
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
                PgPlainForeignKeys sql = partial ? new PgPlainForeignKeys(in) : null;
                target.run(who, cmd).stdin(sql != null ? sql : in).run();
                if (sql != null) {
                    warnSkipped(sql.skipped(), request);
                }
            }
            case CUSTOM -> {
                if (!partial) {
                    target.run(who, pgRestore(objects > 0, List.of("--single-transaction"))).stdin(in).run();
                    break;
                }
                try (ScratchDir tmp = ScratchDir.create("caravan-pgrestore-")) {
                    Path archive = tmp.resolve("archive.pgdump");
                    Files.copy(in, archive);
                    List<String> extra = new ArrayList<>(List.of("--single-transaction"));
                    extra.addAll(withoutDanglingForeignKeys(psql, archive, tmp, request));
                    extra.add(archive.toString());
                    target.run(who, pgRestore(objects > 0, extra)).run();
                }
            }
            case DIRECTORY -> {
                try (ScratchDir tmp = ScratchDir.create("caravan-pgrestore-")) {
                    Path dir = tmp.resolve("dump");
                    Files.createDirectories(dir);
                    PgDirectoryTar.read(who, in, dir);
                    List<String> extra = new ArrayList<>(List.of("--jobs=" + jobs));
                    extra.addAll(withoutDanglingForeignKeys(psql, dir, tmp, request));
                    extra.add(dir.toString());
                    target.run(who, pgRestore(objects > 0, extra)).run();
                }
            }
        }
        request.log().accept(who + ": restored into " + target.describe());
    }

    /**
     * The {@code --use-list} option that leaves out the archive's foreign keys to tables neither in
     * it nor in the target (none when there are none), and one warning naming them.
     */
    private List<String> withoutDanglingForeignKeys(Path psql, Path archive, ScratchDir tmp, RestoreRequest request)
            throws IOException {
        String pgRestore = Tool.require(who, PostgresSource.HINT, "pg_restore").toString();
        String toc = ToolRun.of(who, List.of(pgRestore, "--list", archive.toString())).output();
        if (!toc.contains(" FK CONSTRAINT ")) {
            return List.of();
        }
        Path postData = tmp.resolve("post-data.sql");
        ToolRun.of(who, List.of(pgRestore, "--section=post-data", "--file=" + postData, archive.toString())).run();
        List<PgDanglingForeignKeys.Skipped> skipped;
        try {
            skipped = PgDanglingForeignKeys.find(toc, postData, table -> {
                try {
                    return "t".equals(query(psql, target.database(), "SELECT to_regclass(" + PgConnection.literal(table) + ") IS NOT NULL"));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        if (skipped.isEmpty()) {
            return List.of();
        }
        Path list = tmp.resolve("restore.list");
        Files.writeString(list, PgDanglingForeignKeys.listWithout(toc, skipped));
        warnSkipped(skipped, request);
        return List.of("--use-list=" + list);
    }

    /** One warning naming every foreign key left out (none when none was). */
    private void warnSkipped(List<PgDanglingForeignKeys.Skipped> skipped, RestoreRequest request) {
        if (skipped.isEmpty()) {
            return;
        }
        request.log().accept(who + ": warning: skipped " + skipped.size() + (skipped.size() == 1 ? " foreign key" : " foreign keys")
                + " whose referenced table is neither in the backup nor in database " + target.describe() + ": "
                + String.join(", ", skipped.stream().map(PgDanglingForeignKeys.Skipped::describe).toList()));
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
