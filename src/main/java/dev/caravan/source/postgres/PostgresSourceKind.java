package dev.caravan.source.postgres;

import dev.caravan.model.Options;
import dev.caravan.model.SourceSpec;
import dev.caravan.source.Scratch;
import dev.caravan.source.Source;
import dev.caravan.source.SourceKind;
import dev.caravan.spi.OptionDef;
import dev.caravan.spi.Rules;

import java.util.List;
import java.util.Optional;

import static dev.caravan.spi.OptionDef.Type.BOOLEAN;
import static dev.caravan.spi.OptionDef.Type.INT;
import static dev.caravan.spi.OptionDef.Type.PATH;
import static dev.caravan.spi.OptionDef.Type.SECRET;
import static dev.caravan.spi.OptionDef.Type.STRING;
import static dev.caravan.spi.OptionDef.Type.STRINGS;

/** {@code postgres('app') { host 'localhost'; database 'life_os'; user 'lifeos'; password env('PGPASSWORD') }}. */
public final class PostgresSourceKind implements SourceKind {
    static final List<OptionDef> OPTIONS = List.of(
            OptionDef.optional("host", STRING, "Server host name or address; without it, libpq's default (the local Unix socket).", "'localhost'"),
            OptionDef.optional("port", INT, "Server port (default 5432).", "5432"),
            OptionDef.required("database", STRING, "Database to dump; also the default restore target.", "'life_os'"),
            OptionDef.optional("user", STRING, "Role to connect as; without it, the operating-system user.", "'lifeos'"),
            OptionDef.optional("password", SECRET, "Password of the role; handed to pg_dump through PGPASSWORD, never on its command line.", "env('PGPASSWORD')"),
            OptionDef.optional("format", STRING, "pg_dump format: custom (.pgdump, default), plain (.sql) or directory (.pgdir.tar, dumped with parallel jobs).", "'custom'"),
            OptionDef.optional("jobs", INT, "Parallel pg_dump/pg_restore jobs for the directory format (default 1).", "4"),
            OptionDef.optional("schemaOnly", BOOLEAN, "Dump only the schema (tables, functions, ...), no data.", "true"),
            OptionDef.optional("dataOnly", BOOLEAN, "Dump only the data, no schema.", "true"),
            OptionDef.optional("tables", STRINGS, "Dump only these tables (pg_dump -t patterns, e.g. 'public.characters').", "'characters', 'campaigns'"),
            OptionDef.optional("excludeTables", STRINGS, "Leave these tables out (pg_dump -T patterns).", "'audit_log', 'sessions_*'"),
            OptionDef.optional("continuous", BOOLEAN, "Continuous archiving: each backup is a pg_basebackup base backup of the whole cluster (.pgbase.tar) instead of a pg_dump, and the server ships its WAL with archive_command = 'caravan wal-push ...'; restore --to DIR --to-time T rolls it forward to T. See docs/pitr.md.", "true"),
            OptionDef.optional("walSpool", PATH, "Asynchronous WAL archiving: archive_command (caravan-wal-spool, or wal-push) puts each WAL file durably into this directory and returns at once; the running service ships it to every destination, walParallel at a time. Needs continuous true. See docs/pitr.md.", "'/var/lib/caravan/wal-spool/app'"),
            OptionDef.optional("walSpoolLimit", STRING, "Most bytes the WAL spool may hold (default 1 GiB); a full spool refuses the next file, so PostgreSQL keeps it in pg_wal and retries; the wal-spool alert fires at 80%.", "'2GB'"),
            OptionDef.optional("walParallel", INT, "WAL files the service ships at once from the spool (default 2).", "4"),
            OptionDef.optional("export", STRINGS, "Also store portable exports of every table in the same backup: 'sqlite' (one SQLite file, object <name>-sqlite) and/or 'jsonl' (JSON Lines per table in a tar, object <name>-jsonl).", "'sqlite', 'jsonl'"));

    @Override
    public String kind() {
        return "postgres";
    }

    @Override
    public String description() {
        return "A PostgreSQL database dumped by pg_dump from one consistent snapshot (custom, plain SQL or directory format).";
    }

    @Override
    public Scratch drillScratch(SourceSpec spec) {
        return new PostgresScratch(spec);
    }

    @Override
    public Optional<String> drillQuery() {
        return Optional.of("SQL");
    }

    @Override
    public List<OptionDef> options() {
        return OPTIONS;
    }

    @Override
    public List<String> rules() {
        return List.of(
                "schemaOnly and dataOnly exclude each other.",
                "format is custom, plain or directory; export is sqlite and/or jsonl.",
                "port is from 1 to 65535; jobs is 1 or more.",
                "continuous takes the whole cluster, so it takes no format, schemaOnly, dataOnly, tables or excludeTables.",
                "walSpool, walSpoolLimit and walParallel need continuous true; walSpoolLimit is a size ('2GB'); walParallel is 1 or more.");
    }

    @Override
    public List<String> problems(SourceSpec spec) {
        return rules(spec.options());
    }

    /** The rules of a postgres block (see {@link Rules}); {@link PostgresSource} refuses a block that breaks one. */
    static List<String> rules(Options o) {
        Rules rules = new Rules()
                .rule(o.bool("schemaOnly", false) && o.bool("dataOnly", false), "schemaOnly and dataOnly cannot both be set")
                .range(o, "port", 1, 65535)
                .atLeast(o, "jobs", 1);
        o.string("format").flatMap(PgFormat::problem).ifPresent(p -> rules.rule(true, p));
        for (String e : o.strings("export")) {
            rules.rule(!PgExport.FORMATS.contains(e), "unknown export '" + e + "'; expected one of: " + String.join(", ", PgExport.FORMATS));
        }
        if (o.bool("continuous", false)) {
            for (String k : List.of("format", "schemaOnly", "dataOnly", "tables", "excludeTables")) {
                rules.rule(o.has(k), "continuous takes a base backup of the whole cluster, so " + k + " does not apply; leave it out"
                        + " or drop continuous");
            }
        }
        if (!o.bool("continuous", false)) {
            for (String k : List.of("walSpool", "walSpoolLimit", "walParallel")) {
                rules.rule(o.has(k), k + " is for continuous archiving; add continuous true or leave it out");
            }
        }
        // the same sizes as dsl.Sizes, which this layer cannot import
        o.string("walSpoolLimit").ifPresent(l -> rules.rule(!l.matches("(?i)\\s*\\d+(\\.\\d+)?\\s*(([kmgtp]i?)?b)?\\s*"),
                "walSpoolLimit '" + l + "' is not a size; write e.g. '2GB' or '500 MiB'"));
        rules.atLeast(o, "walParallel", 1);
        return rules.problems();
    }

    @Override
    public Source create(SourceSpec spec) {
        return new PostgresSource(spec.name(), spec.options());
    }
}
