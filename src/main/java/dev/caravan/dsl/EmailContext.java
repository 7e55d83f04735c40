package dev.caravan.dsl;

import dev.caravan.io.Tls;
import dev.caravan.model.AlertSpec;
import dev.caravan.model.Secret;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code email { to 'ops@example.com'; from 'caravan@example.com'; smtp 'smtp://host:587'; user 'u'; password secret('/p');
 * starttls 'required'; trust '/etc/caravan/smtp-ca.pem' }}.
 */
public final class EmailContext extends Context {
    private static final Map<String, String> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("to", "to 'ops@example.com', 'oncall@example.com'");
        KEYS.put("from", "from 'caravan@example.com'");
        KEYS.put("smtp", "smtp 'smtp://mail.example.com:587' (or smtps://host:465)");
        KEYS.put("user", "user 'caravan'");
        KEYS.put("password", "password secret('/etc/caravan/smtp.pw')");
        KEYS.put("starttls", "starttls 'required' (or true; false: no TLS at all)");
        KEYS.put("trust", "trust '/etc/caravan/smtp-ca.pem'");
    }

    private final List<String> to = new ArrayList<>();
    private String from;
    private String smtp;
    private String user;
    private Secret password;
    private boolean starttls;
    private Path trust;
    private boolean passwordUnresolved;

    EmailContext(Loading loading) {
        super(loading);
    }

    @Override
    String where() {
        return "alerts: email: ";
    }

    @Override
    Map<String, String> keys() {
        return KEYS;
    }

    public void to(Object... addresses) {
        if (!once("to")) {
            return;
        }
        for (Object a : addresses) {
            String s = text(a);
            if (s == null || !s.contains("@")) {
                problem("to: '" + a + "' is not an email address");
            } else {
                to.add(s);
            }
        }
    }

    public void from(Object address) {
        if (once("from")) {
            String s = text(address);
            if (s == null || !s.contains("@")) {
                problem("from: '" + address + "' is not an email address");
            } else {
                from = s;
            }
        }
    }

    public void smtp(Object url) {
        if (!once("smtp")) {
            return;
        }
        String s = text(url);
        try {
            URI u = URI.create(s == null ? "" : s);
            if (!("smtp".equals(u.getScheme()) || "smtps".equals(u.getScheme())) || u.getHost() == null) {
                throw new IllegalArgumentException();
            }
            smtp = s;
        } catch (IllegalArgumentException e) {
            problem("smtp must look like 'smtp://host:port' or 'smtps://host:port', not '" + url + "'");
        }
    }

    public void user(Object name) {
        if (once("user")) {
            user = text(name);
        }
    }

    public void password(Object value) {
        if (!once("password")) {
            return;
        }
        if (value == Loading.UNRESOLVED) {
            passwordUnresolved = true;
            return;
        }
        password = secretValue("password", value);
    }

    public void starttls(boolean on) {
        if (once("starttls")) {
            starttls = on;
        }
    }

    /** {@code starttls 'required'}: the same as {@code starttls true}, said the way relays' docs say it. */
    public void starttls(Object mode) {
        if (!once("starttls")) {
            return;
        }
        String m = text(mode);
        if ("required".equals(m)) {
            starttls = true;
        } else if (!"off".equals(m)) {
            problem("starttls must be 'required', true, false or 'off', not '" + mode + "'");
        }
    }

    /** CA certificates (PEM) to trust for the relay's certificate, instead of the JDK's; read now, so a bad file fails the load. */
    public void trust(Object path) {
        if (!once("trust")) {
            return;
        }
        String p = text(path);
        if (p == null || p.isBlank()) {
            problem("trust must be the path of a PEM file of CA certificates, not '" + path + "'");
            return;
        }
        Path file = loading.resolve(p);
        try {
            Tls.trustStore(file);
            trust = file;
        } catch (IOException e) {
            problem("trust: " + e.getMessage());
        }
    }

    public void starttls() {
        starttls(true);
    }

    AlertSpec.Email build() {
        List<String> missing = new ArrayList<>();
        if (to.isEmpty()) {
            missing.add("to");
        }
        if (from == null) {
            missing.add("from");
        }
        if (smtp == null) {
            missing.add("smtp");
        }
        if (!missing.isEmpty()) {
            problem("missing " + String.join(", ", missing), List.of("usage: email { to 'ops@example.com'; from 'caravan@example.com'; smtp 'smtp://mail:587' }"));
            return null;
        }
        if (user != null && password == null && !passwordUnresolved) {
            problem("user '" + user + "' needs a password (password secret('/etc/caravan/smtp.pw') or env('X'))");
        } else if (user == null && password != null) {
            problem("password needs a user (user 'caravan')");
        }
        if (starttls && smtp.startsWith("smtps:")) {
            problem("starttls is for smtp://host:587; smtps:// speaks TLS from the first byte");
        }
        return new AlertSpec.Email(to, from, smtp, user, password, starttls, trust);
    }
}
