package dev.caravan.dsl;

import dev.caravan.model.Durations;
import dev.caravan.model.Secret;
import dev.caravan.model.ServiceSpec;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code cluster { jdbcUrl 'jdbc:postgresql://db/caravan'; user 'caravan'; password env('CARAVAN_DB_PW'); checkinEvery '7s' }}. */
public final class ClusterContext extends Context {
    private static final Map<String, String> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("jdbcUrl", "jdbcUrl 'jdbc:postgresql://db.example.com:5432/caravan'");
        KEYS.put("user", "user 'caravan'");
        KEYS.put("password", "password env('CARAVAN_DB_PASSWORD')");
        KEYS.put("checkinEvery", "checkinEvery '7s'");
    }

    private String jdbcUrl;
    private String user;
    private Secret password;
    private Duration checkinEvery = ServiceSpec.Cluster.DEFAULT_CHECKIN;

    ClusterContext(Loading loading) {
        super(loading);
    }

    @Override
    String where() {
        return "service: cluster: ";
    }

    @Override
    Map<String, String> keys() {
        return KEYS;
    }

    public void jdbcUrl(Object url) {
        if (!once("jdbcUrl")) {
            return;
        }
        String s = text(url);
        if (s == null || !s.startsWith("jdbc:postgresql:")) {
            problem("jdbcUrl must be a PostgreSQL JDBC URL like 'jdbc:postgresql://host:5432/caravan', not '" + url + "'");
        } else {
            jdbcUrl = s;
        }
    }

    public void user(Object name) {
        if (once("user")) {
            user = text(name);
        }
    }

    public void password(Object value) {
        if (!once("password") || value == Loading.UNRESOLVED) {
            return;
        }
        password = secretValue("password", value);
    }

    public void checkinEvery(Object duration) {
        if (!once("checkinEvery")) {
            return;
        }
        try {
            Duration d = Durations.parse(String.valueOf(text(duration) == null ? duration : text(duration)));
            if (d.toMillis() < 1000) {
                problem("checkinEvery must be at least 1s, not '" + duration + "'");
            } else {
                checkinEvery = d;
            }
        } catch (IllegalArgumentException e) {
            problem("checkinEvery: " + e.getMessage());
        }
    }

    ServiceSpec.Cluster build() {
        if (jdbcUrl == null) {
            problem("missing jdbcUrl", List.of("usage: cluster { jdbcUrl 'jdbc:postgresql://db:5432/caravan'; user 'caravan'; password env('CARAVAN_DB_PASSWORD') }"));
            return null;
        }
        return new ServiceSpec.Cluster(jdbcUrl, user, password, checkinEvery);
    }
}
