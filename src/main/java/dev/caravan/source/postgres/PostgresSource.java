package dev.caravan.source.postgres;

import dev.caravan.model.Options;
import dev.caravan.source.RestoreRequest;
import dev.caravan.source.Source;
import dev.caravan.source.WalSource;
import dev.caravan.source.tool.DumpFiles;
import dev.caravan.source.tool.ScratchDir;
import dev.caravan.source.tool.Tool;
import dev.caravan.source.tool.TrailerCheck;
import dev.caravan.spi.Rules;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A PostgreSQL database through pg_dump. pg_dump reads everything inside one repeatable-read
 * snapshot, so the dump is consistent while the database keeps taking writes.
 */
public final class PostgresSource implements WalSource {
    static final String HINT = "apt-get install postgresql-client";

    private final String name;
    private final String who;
    private final PgConnection connection;
    private final PgFormat format;
    private final Options options;
    private final PgBaseBackup base;

    public PostgresSource(String name, Options options) {
        this.name = name;
        this.who = "postgres '" + name + "'";
        this.options = options;
        Rules.refuse(who, PostgresSourceKind.rules(options));
        this.connection = PgConnection.of(options);
        this.format = PgFormat.parse(who, options.string("format", "custom"));
        PgExport.of(name, options.strings("export"), connection);
        this.base = options.bool("continuous", false) ? new PgBaseBackup(who, connection) : null;
    }

    @Override
    public String name() {
        return name;
    }

    /** The portable exports the {@code export} option asks for ({@link PgExport}). */
    @Override
    public List<Source> extras() {
        return PgExport.of(name, options.strings("export"), connection);
    }

    @Override
    public String extension() {
        return base != null ? PgBaseBackup.EXTENSION : format.extension;
    }

    @Override
    public String toolVersion() {
        if (base != null) {
            return base.toolVersion();
        }
        return Tool.find("pg_dump").map(Tool::version).orElse("pg_dump (not installed)");
    }

    @Override
    public void dump(OutputStream out) throws IOException {
        if (base != null) {
            base.dump(out);
            return;
        }
        Path pgDump = Tool.require(who, HINT, "pg_dump");
        List<String> cmd = new ArrayList<>(List.of(pgDump.toString()));
        cmd.addAll(connection.args());
        cmd.add("--format=" + format.flag);
        if (options.bool("schemaOnly", false)) {
            cmd.add("--schema-only");
        }
        if (options.bool("dataOnly", false)) {
            cmd.add("--data-only");
        }
        for (String t : options.strings("tables")) {
            cmd.add("--table=" + t);
        }
        for (String t : options.strings("excludeTables")) {
            cmd.add("--exclude-table=" + t);
        }
        cmd.add("--dbname=" + connection.database());
        if (format != PgFormat.DIRECTORY) {
            connection.run(who, cmd).stdout(out).run();
            return;
        }
        try (ScratchDir tmp = ScratchDir.create("caravan-pgdump-")) {
            Path dir = tmp.resolve("dump");
            cmd.add("--jobs=" + jobs());
            cmd.add("--file=" + dir);
            connection.run(who, cmd).run();
            PgDirectoryTar.write(dir, out);
        }
    }

    @Override
    public void restore(InputStream in, RestoreRequest request) throws IOException {
        if (base != null) {
            base.restore(in, request);
            return;
        }
        if (DumpFiles.isDirectory(request.target())) {
            Path file = Path.of(request.target()).resolve(name + "." + extension());
            request.log().accept(who + ": " + (request.dryRun() ? "would write " : "writing ") + file);
            if (!request.dryRun()) {
                DumpFiles.write(who, in, file, request.force());
            }
            return;
        }
        PgConnection target;
        try {
            target = connection.target(request.target());
        } catch (IllegalArgumentException e) {
            throw new IOException(who + ": " + e.getMessage(), e);
        }
        boolean partial = !options.strings("tables").isEmpty() || !options.strings("excludeTables").isEmpty();
        new PgRestore(who, format, jobs(), target, partial).restore(in, request);
    }

    /** Runs the archive through pg_restore (custom, directory) or checks the SQL's end marker (plain). */
    @Override
    public void readThrough(InputStream in) throws IOException {
        if (base != null) {
            base.readThrough(in);
            return;
        }
        if (format == PgFormat.PLAIN) {
            TrailerCheck.require(who, in, "PostgreSQL database dump complete", "plain SQL dump");
            return;
        }
        Path pgRestore = Tool.require(who, HINT, "pg_restore");
        if (format == PgFormat.CUSTOM) {
            // writing the restore script to /dev/null reads and decompresses every data block, not just the TOC
            connection.run(who, List.of(pgRestore.toString(), "--file=/dev/null")).stdin(in).run();
            return;
        }
        try (ScratchDir tmp = ScratchDir.create("caravan-pgcheck-")) {
            PgDirectoryTar.read(who, in, tmp.path());
            connection.run(who, List.of(pgRestore.toString(), "--file=/dev/null", tmp.path().toString())).run();
        }
    }

    /** Whether the source takes base backups for continuous archiving ({@code continuous true}). */
    @Override
    public boolean continuous() {
        return base != null;
    }

    /** With {@code continuous true}: the WAL segment the last base backup starts from; else null. */
    @Override
    public String walStart() {
        return base != null ? base.startSegment() : null;
    }

    /**
     * Runs one short query with psql over the source's connection and returns its unaligned,
     * tuples-only output (fields separated by {@code |}); for monitoring, never for data.
     */
    @Override
    public String query(String sql) throws IOException {
        List<String> cmd = PgCatalog.psql(who, connection);
        cmd.add("--command=" + sql);
        return connection.run(who, cmd).output();
    }

    private int jobs() {
        return Math.max(1, options.integer("jobs", 1));
    }
}
