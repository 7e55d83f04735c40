package dev.caravan.source.redis;

import dev.caravan.model.Options;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** Where a Redis server is and how to log in (ACL user and/or password). */
record RedisConnection(String host, int port, String user, String password) {

    static RedisConnection of(Options o) {
        return new RedisConnection(o.string("host", "localhost"), o.integer("port", 6379), o.string("user").orElse(null),
                o.secret("password").map(s -> s.reveal()).orElse(null));
    }

    /**
     * {@code redis://[user][:password]@host[:port]}: another server, so its login is the URL's alone
     * (none when the URL has none); the source's user and password are never sent to it.
     */
    static RedisConnection target(String url) {
        try {
            URI u = new URI(url);
            if (u.getHost() == null) {
                throw new IllegalArgumentException("'" + dev.caravan.io.Redact.text(url) + "' names no host; write redis://[user:password@]host[:port]");
            }
            String newUser = null;
            String newPassword = null;
            if (u.getRawUserInfo() != null) {
                String[] ui = u.getRawUserInfo().split(":", 2);
                if (ui.length == 1) {
                    newPassword = URLDecoder.decode(ui[0], StandardCharsets.UTF_8);
                } else {
                    newUser = ui[0].isEmpty() ? null : URLDecoder.decode(ui[0], StandardCharsets.UTF_8);
                    newPassword = ui[1].isEmpty() ? null : URLDecoder.decode(ui[1], StandardCharsets.UTF_8);
                }
            }
            return new RedisConnection(u.getHost(), u.getPort() > 0 ? u.getPort() : 6379,
                    newUser, newPassword);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a Redis URL: " + dev.caravan.io.Redact.text(e.getMessage()), e);
        }
    }

    /** Connects and authenticates; the password goes over the protocol, never on a command line. */
    RespClient connect(String who) throws IOException {
        RespClient c;
        try {
            c = new RespClient(host, port);
        } catch (IOException e) {
            throw new IOException(who + ": cannot connect to " + describe() + ": " + e.getMessage(), e);
        }
        try {
            if (password != null) {
                if (user != null) {
                    c.call("AUTH", user, password);
                } else {
                    c.call("AUTH", password);
                }
            }
            return c;
        } catch (IOException e) {
            c.close();
            throw new IOException(who + ": " + describe() + " refused the login: " + e.getMessage(), e);
        }
    }

    String describe() {
        return "redis://" + host + ":" + port;
    }

    @Override
    public String toString() {
        return "RedisConnection[" + describe() + "]";
    }
}
