package dev.caravan.dsl;

import dev.caravan.model.Durations;
import dev.caravan.io.Tls;
import dev.caravan.model.Secret;
import dev.caravan.model.ServiceSpec;
import groovy.lang.Closure;
import groovy.lang.DelegatesTo;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code service { http port: 9091; catchUp true; shutdownTimeout '60s'; cluster { ... } }}: how {@code caravan run} behaves. */
public final class ServiceContext extends Context {
    private static final Map<String, String> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("http", "http port: 9091 (also host: '0.0.0.0', user: 'prometheus', password: secret('/p'), tlsCert: '/c.pem', tlsKey: '/k.pem')");
        KEYS.put("catchUp", "catchUp true");
        KEYS.put("shutdownTimeout", "shutdownTimeout '60s'");
        KEYS.put("cluster", "cluster { jdbcUrl 'jdbc:postgresql://db:5432/caravan'; user 'caravan'; password env('CARAVAN_DB_PASSWORD') }");
    }

    private static final List<String> HTTP_KEYS = List.of("host", "port", "user", "password", "tlsCert", "tlsKey", "keystore",
            "keystorePassword");

    private ServiceSpec.Http http = ServiceSpec.Http.on(0);
    private boolean catchUp = true;
    private Duration shutdownTimeout = ServiceSpec.DEFAULT_SHUTDOWN_TIMEOUT;
    private ServiceSpec.Cluster cluster;

    ServiceContext(Loading loading) {
        super(loading);
    }

    @Override
    String where() {
        return "service: ";
    }

    @Override
    Map<String, String> keys() {
        return KEYS;
    }

    /**
     * {@code http host: '0.0.0.0', port: 9091, user: 'prometheus', password: secret('/p'), tlsCert: 'c.pem', tlsKey: 'k.pem'}
     * (or {@code keystore: 'server.p12', keystorePassword: secret('/kp')}); the files are read now, so a
     * bad one is a problem of the plan file, not of the running service.
     */
    public void http(Map<?, ?> named) {
        if (!once("http")) {
            return;
        }
        int port = 0;
        String host = ServiceSpec.Http.DEFAULT_HOST;
        String user = null;
        Secret password = null;
        Map<String, Object> tls = new LinkedHashMap<>();
        boolean unresolved = false;
        for (Map.Entry<?, ?> e : named.entrySet()) {
            String key = String.valueOf(e.getKey());
            Object v = e.getValue();
            switch (key) {
                case "port" -> {
                    if (!(v instanceof Integer p) || p < 1 || p > 65535) {
                        problem("http: port must be a whole number from 1 to 65535, not '" + v + "'");
                    } else {
                        port = p;
                    }
                }
                case "host" -> {
                    String h = text(v);
                    if (h == null || h.isBlank() || h.contains("/") || h.contains(" ")) {
                        problem("http: host must be an address to listen on, such as '127.0.0.1', '0.0.0.0' or '::', not '" + v + "'");
                    } else {
                        host = h;
                    }
                }
                case "user" -> user = text(v);
                case "password", "keystorePassword" -> {
                    if (v == Loading.UNRESOLVED) {
                        unresolved = true;
                    } else if (key.equals("password")) {
                        password = secretValue("http: password", v);
                    } else {
                        tls.put(key, secretValue("http: keystorePassword", v));
                    }
                }
                case "tlsCert", "tlsKey", "keystore" -> {
                    String f = text(v);
                    if (f == null || f.isBlank()) {
                        problem("http: " + key + " must be a file path, not '" + v + "'");
                    } else {
                        tls.put(key, loading.resolve(f));
                    }
                }
                default -> problem("http: unknown option '" + key + "'", Suggest.hints(key, HTTP_KEYS));
            }
        }
        if (!named.containsKey("port")) {
            problem("http: port is missing", List.of("usage: http port: 9091"));
        }
        if (user != null && password == null && !unresolved) {
            problem("http: user '" + user + "' needs a password (password: secret('/etc/caravan/http.pw') or env('X'))");
        } else if (user == null && password != null) {
            problem("http: password needs a user (user: 'prometheus')");
        }
        http = new ServiceSpec.Http(host, port, user, password, tls(tls));
    }

    private ServiceSpec.Tls tls(Map<String, Object> o) {
        Path cert = (Path) o.get("tlsCert");
        Path key = (Path) o.get("tlsKey");
        Path keystore = (Path) o.get("keystore");
        Secret kp = (Secret) o.get("keystorePassword");
        if (o.isEmpty()) {
            return null;
        }
        try {
            if (keystore != null) {
                if (cert != null || key != null) {
                    problem("http: give either tlsCert and tlsKey or a keystore, not both");
                    return null;
                }
                Tls.keystore(keystore, kp == null ? new char[0] : kp.reveal().toCharArray());
            } else if (cert == null || key == null) {
                problem(cert == null && key == null ? "http: keystorePassword needs a keystore"
                        : "http: " + (cert == null ? "tlsKey needs tlsCert" : "tlsCert needs tlsKey") + " (a PEM certificate and its PKCS#8 key)");
                return null;
            } else {
                Tls.fromPem(cert, key);
            }
        } catch (IOException e) {
            problem("http: " + e.getMessage());
            return null;
        }
        return new ServiceSpec.Tls(cert, key, keystore, kp);
    }

    public void catchUp(boolean on) {
        if (once("catchUp")) {
            catchUp = on;
        }
    }

    public void catchUp() {
        catchUp(true);
    }

    public void shutdownTimeout(Object duration) {
        if (!once("shutdownTimeout")) {
            return;
        }
        try {
            shutdownTimeout = Durations.parse(String.valueOf(text(duration) == null ? duration : text(duration)));
        } catch (IllegalArgumentException e) {
            problem("shutdownTimeout: " + e.getMessage());
        }
    }

    /** Services sharing one PostgreSQL: each scheduled run happens once in the cluster (see docs/service.md). */
    public void cluster(@DelegatesTo(value = ClusterContext.class, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        if (once("cluster")) {
            cluster = run(body, new ClusterContext(loading)).build();
        }
    }

    ServiceSpec build() {
        return new ServiceSpec(http, catchUp, shutdownTimeout, cluster);
    }
}
