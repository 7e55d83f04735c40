package dev.caravan.source.postgres;

import dev.caravan.model.DrillSpec;
import dev.caravan.model.Options;
import dev.caravan.model.SourceSpec;
import dev.caravan.source.Scratch;
import dev.caravan.source.tool.Tool;
import dev.caravan.source.tool.ToolRun;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A temporary database {@code caravan_drill_<random>} on the source's own server: the PostgreSQL
 * restore creates it; checks run through psql; closing drops it {@code WITH (FORCE)}.
 */
final class PostgresScratch implements Scratch {
    private static final String HINT = "apt-get install postgresql-client";

    private final Options options;
    private final String who;
    private final String database = "caravan_drill_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());

    PostgresScratch(SourceSpec spec) {
        this.options = spec.options();
        this.who = "drill of postgres '" + spec.name() + "'";
    }

    @Override
    public String target() {
        return database;
    }

    @Override
    public long measure(DrillSpec.Check check) throws IOException {
        return Scratch.number(check, psql(database, check.query()));
    }

    @Override
    public void close() throws IOException {
        psql("postgres", "DROP DATABASE IF EXISTS \"" + database + "\" WITH (FORCE)");
    }

    private String psql(String db, String sql) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Tool.require(who, HINT, "psql").toString(), "--no-password",
                "--no-psqlrc", "--tuples-only", "--no-align", "--set=ON_ERROR_STOP=1"));
        options.string("host").ifPresent(h -> cmd.add("--host=" + h));
        if (options.has("port")) {
            cmd.add("--port=" + options.integer("port", 5432));
        }
        options.string("user").ifPresent(u -> cmd.add("--username=" + u));
        cmd.add("--dbname=" + db);
        cmd.add("--command=" + sql);
        return ToolRun.of(who, cmd).env("PGPASSWORD", options.secret("password").map(s -> s.reveal()).orElse(null))
                .env("PGCONNECT_TIMEOUT", "15").env("PGAPPNAME", "caravan-drill").output();
    }
}
