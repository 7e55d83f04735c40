package dev.caravan.source.mysql;

import dev.caravan.model.Options;
import dev.caravan.source.RestoreRequest;
import dev.caravan.source.Source;
import dev.caravan.source.tool.DumpFiles;
import dev.caravan.source.tool.SecretFile;
import dev.caravan.source.tool.Tool;
import dev.caravan.source.tool.ToolRun;
import dev.caravan.source.tool.TrailerCheck;
import dev.caravan.spi.Rules;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A MariaDB/MySQL database through mariadb-dump (or mysqldump). {@code --single-transaction} reads
 * every InnoDB table from one consistent snapshot without locking writers out.
 */
public final class MysqlSource implements Source {
    static final String HINT = "apt-get install mariadb-client";
    private static final String[] DUMPERS = {"mariadb-dump", "mysqldump"};
    private static final String[] CLIENTS = {"mariadb", "mysql"};

    private final String name;
    private final String who;
    private final MysqlConnection connection;

    public MysqlSource(String name, Options options) {
        this.name = name;
        this.who = "mysql '" + name + "'";
        Rules.refuse(who, MysqlSourceKind.rules(options));
        this.connection = MysqlConnection.of(options);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String extension() {
        return "sql";
    }

    @Override
    public String toolVersion() {
        return Tool.find(DUMPERS).map(Tool::version).orElse("mysqldump (not installed)");
    }

    @Override
    public void dump(OutputStream out) throws IOException {
        Path dumper = Tool.require(who, HINT, DUMPERS);
        try (SecretFile cnf = connection.optionFile()) {
            List<String> cmd = new ArrayList<>(List.of(dumper.toString()));
            cmd.addAll(connection.args(cnf));
            // the database alone (not --databases): no CREATE DATABASE / USE, so it loads into any name
            cmd.addAll(List.of("--single-transaction", "--routines", "--triggers", "--events", "--hex-blob",
                    "--no-tablespaces", "--default-character-set=utf8mb4", "--", connection.database()));
            ToolRun.of(who, cmd).stdout(out).run();
        }
    }

    /** Checks the "-- Dump completed" line mysqldump writes last. */
    @Override
    public void readThrough(InputStream in) throws IOException {
        TrailerCheck.require(who, in, "-- Dump completed", "SQL dump");
    }

    @Override
    public void restore(InputStream in, RestoreRequest request) throws IOException {
        if (DumpFiles.isDirectory(request.target())) {
            Path file = Path.of(request.target()).resolve(name + ".sql");
            request.log().accept(who + ": " + (request.dryRun() ? "would write " : "writing ") + file);
            if (!request.dryRun()) {
                DumpFiles.write(who, in, file, request.force());
            }
            return;
        }
        MysqlConnection target;
        try {
            target = connection.target(request.target());
        } catch (IllegalArgumentException e) {
            throw new IOException(who + ": " + e.getMessage(), e);
        }
        Path client = Tool.require(who, HINT, CLIENTS);
        String db = target.database();
        String literal = MysqlConnection.literal(db);
        boolean exists = !query(client, target, "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = " + literal).isEmpty();
        long tables = exists ? Long.parseLong(query(client, target,
                "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = " + literal)) : 0;
        if (tables > 0 && !request.force()) {
            throw new IOException(who + ": database " + target.describe() + " is not empty (" + tables
                    + " tables or views); restore with --force to replace it");
        }
        request.log().accept(who + ": " + (request.dryRun() ? "would " : "")
                + (tables > 0 ? "drop and re-create " : exists ? "" : "create ") + "database " + target.describe()
                + " and load the dump");
        if (request.dryRun()) {
            return;
        }
        String id = MysqlConnection.identifier(db);
        if (tables > 0) {
            query(client, target, "DROP DATABASE " + id);
            exists = false;
        }
        if (!exists) {
            query(client, target, "CREATE DATABASE " + id + " CHARACTER SET utf8mb4");
        }
        try (SecretFile cnf = target.optionFile()) {
            List<String> cmd = new ArrayList<>(List.of(client.toString()));
            cmd.addAll(target.args(cnf));
            cmd.addAll(List.of("--default-character-set=utf8mb4", "--batch", "--database=" + db));
            ToolRun.of(who, cmd).stdin(in).run();
        }
        request.log().accept(who + ": restored into " + target.describe());
    }

    private String query(Path client, MysqlConnection target, String sql) throws IOException {
        try (SecretFile cnf = target.optionFile()) {
            List<String> cmd = new ArrayList<>(List.of(client.toString()));
            cmd.addAll(target.args(cnf));
            cmd.addAll(List.of("--batch", "--skip-column-names", "--execute=" + sql));
            return ToolRun.of(who, cmd).output();
        }
    }
}
