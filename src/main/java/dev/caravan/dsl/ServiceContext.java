package dev.caravan.dsl;

import dev.caravan.model.Durations;
import dev.caravan.model.ServiceSpec;
import groovy.lang.Closure;
import groovy.lang.DelegatesTo;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code service { http port: 9091; catchUp true; shutdownTimeout '60s'; cluster { ... } }}: how {@code caravan run} behaves. */
public final class ServiceContext extends Context {
    private static final Map<String, String> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("http", "http port: 9091");
        KEYS.put("catchUp", "catchUp true");
        KEYS.put("shutdownTimeout", "shutdownTimeout '60s'");
        KEYS.put("cluster", "cluster { jdbcUrl 'jdbc:postgresql://db:5432/caravan'; user 'caravan'; password env('CARAVAN_DB_PASSWORD') }");
    }

    private int port;
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

    public void http(Map<?, ?> named) {
        if (!once("http")) {
            return;
        }
        for (Map.Entry<?, ?> e : named.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (!key.equals("port")) {
                problem("http: unknown option '" + key + "'", Suggest.hints(key, List.of("port")));
            } else if (!(e.getValue() instanceof Integer p) || p < 1 || p > 65535) {
                problem("http: port must be a whole number from 1 to 65535, not '" + e.getValue() + "'");
            } else {
                port = p;
            }
        }
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
        return new ServiceSpec(port, catchUp, shutdownTimeout, cluster);
    }
}
