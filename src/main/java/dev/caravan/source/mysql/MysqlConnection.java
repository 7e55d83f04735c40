package dev.caravan.source.mysql;

import dev.caravan.model.Options;
import dev.caravan.source.tool.SecretFile;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a MariaDB/MySQL database is and who to connect as. User and password reach the client in a
 * 0600 option file given by {@code --defaults-extra-file}, never on its command line.
 */
record MysqlConnection(String host, Integer port, String socket, String user, String password, String database) {

    static MysqlConnection of(Options o) {
        return new MysqlConnection(o.string("host").orElse(null), o.has("port") ? o.integer("port", 3306) : null,
                o.string("socket").orElse(null), o.string("user").orElse(null),
                o.secret("password").map(s -> s.reveal()).orElse(null), o.string("database").orElseThrow());
    }

    /**
     * A database name on the same server (same login), or {@code mysql://[user[:password]@]host[:port]/db}:
     * another server, so its login is the URL's alone (what it leaves out comes from the client's own
     * option files, {@code ~/.my.cnf}), never this connection's user or password.
     */
    MysqlConnection target(String target) {
        if (target == null) {
            return this;
        }
        if (!target.startsWith("mysql://") && !target.startsWith("mariadb://")) {
            return new MysqlConnection(host, port, socket, user, password, target);
        }
        try {
            URI u = new URI(target);
            String db = u.getPath() == null || u.getPath().length() <= 1 ? database : u.getPath().substring(1);
            String newUser = null;
            String newPassword = null;
            if (u.getRawUserInfo() != null) {
                String[] ui = u.getRawUserInfo().split(":", 2);
                newUser = ui[0].isEmpty() ? null : URLDecoder.decode(ui[0], StandardCharsets.UTF_8);
                newPassword = ui.length > 1 && !ui[1].isEmpty() ? URLDecoder.decode(ui[1], StandardCharsets.UTF_8) : null;
            }
            return new MysqlConnection(u.getHost(), u.getPort() > 0 ? u.getPort() : null, null, newUser, newPassword, db);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a MySQL URL: " + dev.caravan.io.Redact.text(e.getMessage()), e);
        }
    }

    /** The option file with the credentials; the caller deletes it (close) when the tool is done. */
    SecretFile optionFile() throws IOException {
        StringBuilder s = new StringBuilder("[client]\n");
        if (user != null) {
            s.append("user=").append(quote(user)).append('\n');
        }
        if (password != null) {
            s.append("password=").append(quote(password)).append('\n');
        }
        return SecretFile.create("caravan-my-", s.toString());
    }

    /** {@code --defaults-extra-file} (it must come first), then how to reach the server. */
    List<String> args(SecretFile optionFile) {
        List<String> a = new ArrayList<>();
        a.add("--defaults-extra-file=" + optionFile.path());
        if (socket != null) {
            a.add("--socket=" + socket);
        } else if (host != null) {
            a.add("--host=" + host);
            a.add("--protocol=TCP");
        }
        if (port != null && socket == null) {
            a.add("--port=" + port);
        }
        return a;
    }

    String describe() {
        return "'" + database + "' on " + (socket != null ? socket : host == null ? "the local socket" : host)
                + (port == null || socket != null ? "" : ":" + port);
    }

    static String literal(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    static String identifier(String s) {
        return "`" + s.replace("`", "``") + "`";
    }

    private static String quote(String v) {
        return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Override
    public String toString() {
        return "MysqlConnection[" + describe() + "]";
    }
}
