package dev.caravan.source.mysql;

import dev.caravan.model.DrillSpec;
import dev.caravan.model.Options;
import dev.caravan.model.SourceSpec;
import dev.caravan.source.Scratch;
import dev.caravan.source.tool.SecretFile;
import dev.caravan.source.tool.Tool;
import dev.caravan.source.tool.ToolRun;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A temporary database {@code caravan_drill_<random>} on the source's own MariaDB/MySQL server:
 * the restore creates it; checks run through the mariadb (or mysql) client; closing drops it.
 * Credentials go through an option file, never the command line.
 */
final class MysqlScratch implements Scratch {
    private static final String HINT = "apt-get install mariadb-client";

    private final Options options;
    private final String who;
    private final String database = "caravan_drill_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());

    MysqlScratch(SourceSpec spec) {
        this.options = spec.options();
        this.who = "drill of mysql '" + spec.name() + "'";
    }

    @Override
    public String target() {
        return database;
    }

    @Override
    public long measure(DrillSpec.Check check) throws IOException {
        return Scratch.number(check, client(database, check.query()));
    }

    @Override
    public void close() throws IOException {
        client(null, "DROP DATABASE IF EXISTS `" + database + "`");
    }

    private String client(String db, String sql) throws IOException {
        StringBuilder cnf = new StringBuilder("[client]\n");
        options.string("user").ifPresent(u -> cnf.append("user=\"").append(escape(u)).append("\"\n"));
        options.secret("password").ifPresent(p -> cnf.append("password=\"").append(escape(p.reveal())).append("\"\n"));
        try (SecretFile f = SecretFile.create("caravan-drill-my-", cnf.toString())) {
            List<String> cmd = new ArrayList<>(List.of(Tool.require(who, HINT, "mariadb", "mysql").toString(),
                    "--defaults-extra-file=" + f.path()));
            if (options.has("socket")) {
                cmd.add("--socket=" + options.string("socket", ""));
            } else if (options.has("host")) {
                cmd.add("--host=" + options.string("host", ""));
                cmd.add("--protocol=TCP");
                if (options.has("port")) {
                    cmd.add("--port=" + options.integer("port", 3306));
                }
            }
            cmd.addAll(List.of("--batch", "--skip-column-names", "--execute=" + sql));
            if (db != null) {
                cmd.add(db);
            }
            return ToolRun.of(who, cmd).output();
        }
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
