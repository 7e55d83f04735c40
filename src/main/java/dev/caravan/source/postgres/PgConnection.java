package dev.caravan.source.postgres;

import dev.caravan.model.Options;
import dev.caravan.source.tool.ToolRun;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a PostgreSQL database is and who to connect as. The password reaches libpq through
 * {@code PGPASSWORD} in the tool's environment, never its command line.
 */
record PgConnection(String host, Integer port, String user, String password, String database) {

    static PgConnection of(Options o) {
        return new PgConnection(o.string("host").orElse(null), o.has("port") ? o.integer("port", 5432) : null,
                o.string("user").orElse(null), o.secret("password").map(s -> s.reveal()).orElse(null),
                o.string("database").orElseThrow());
    }

    /**
     * What {@code restore --to} names: a database name on the same server (same login), or a URL
     * {@code postgresql://[user[:password]@]host[:port]/db}. A URL names another server, so its login
     * is the URL's alone: what it leaves out is libpq's default ({@code PGUSER}, {@code PGPASSWORD},
     * {@code ~/.pgpass}), never this connection's user or password.
     */
    PgConnection target(String target) {
        if (target == null) {
            return this;
        }
        if (!target.startsWith("postgresql://") && !target.startsWith("postgres://")) {
            return withDatabase(target);
        }
        try {
            URI u = new URI(target);
            String db = u.getPath() == null || u.getPath().length() <= 1 ? database : u.getPath().substring(1);
            String newUser = null;
            String newPassword = null;
            if (u.getRawUserInfo() != null) {
                String[] ui = u.getRawUserInfo().split(":", 2);
                newUser = ui[0].isEmpty() ? null : decode(ui[0]);
                newPassword = ui.length > 1 && !ui[1].isEmpty() ? decode(ui[1]) : null;
            }
            return new PgConnection(u.getHost(), u.getPort() > 0 ? u.getPort() : null, newUser, newPassword, db);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a PostgreSQL URL: " + dev.caravan.io.Redact.text(e.getMessage()), e);
        }
    }

    PgConnection withDatabase(String db) {
        return new PgConnection(host, port, user, password, db);
    }

    /** {@code -h H -p P -U U} as given; libpq defaults (local socket, OS user) for what is not. */
    List<String> args() {
        List<String> a = new ArrayList<>();
        a.add("--no-password");
        if (host != null) {
            a.add("--host=" + host);
        }
        if (port != null) {
            a.add("--port=" + port);
        }
        if (user != null) {
            a.add("--username=" + user);
        }
        return a;
    }

    ToolRun run(String who, List<String> command) {
        return ToolRun.of(who, command).env("PGPASSWORD", password).env("PGCONNECT_TIMEOUT", "15")
                .env("PGAPPNAME", "caravan");
    }

    /** {@code 'life_os' on localhost:5432}, for messages. */
    String describe() {
        return "'" + database + "' on " + (host == null ? "the local socket" : host) + (port == null ? "" : ":" + port);
    }

    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    static String identifier(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "PgConnection[" + describe() + "]";
    }
}
