package dev.caravan.dsl;

import dev.caravan.model.AlertSpec;
import dev.caravan.model.Secret;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code email { to 'ops@example.com'; from 'caravan@example.com'; smtp 'smtp://host:587'; user 'u'; password secret('/p'); starttls true }}. */
public final class EmailContext extends Context {
    private static final Map<String, String> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("to", "to 'ops@example.com', 'oncall@example.com'");
        KEYS.put("from", "from 'caravan@example.com'");
        KEYS.put("smtp", "smtp 'smtp://mail.example.com:587' (or smtps://host:465)");
        KEYS.put("user", "user 'caravan'");
        KEYS.put("password", "password secret('/etc/caravan/smtp.pw')");
        KEYS.put("starttls", "starttls true");
    }

    private final List<String> to = new ArrayList<>();
    private String from;
    private String smtp;
    private String user;
    private Secret password;
    private boolean passwordWritten;
    private boolean starttls;

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
        passwordWritten = true;
        if (!once("password") || value == Loading.UNRESOLVED) {
            return;
        }
        password = secretValue("password", value);
    }

    public void starttls(boolean on) {
        if (once("starttls")) {
            starttls = on;
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
        if ((user != null) != passwordWritten) {
            problem((user == null ? "password needs user" : "user needs password") + ": the relay logs in with both, or neither is given");
            return null;
        }
        return new AlertSpec.Email(to, from, smtp, user, password, starttls);
    }
}
