package dev.caravan.dsl;

import dev.caravan.model.ServiceSpec;

import java.util.List;
import java.util.Map;

/** {@code service { http port: 9091 }}: how {@code caravan run} serves /metrics, /health and the status page. */
public final class ServiceContext extends Context {
    private static final Map<String, String> KEYS = Map.of("http", "http port: 9091");
    private int port;

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

    ServiceSpec build() {
        return new ServiceSpec(port);
    }
}
