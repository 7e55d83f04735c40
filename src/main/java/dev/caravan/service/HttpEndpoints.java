package dev.caravan.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.caravan.backup.Catalog;
import dev.caravan.model.Plan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * {@code /metrics} (Prometheus text), {@code /health} (JSON; 503 when a destination is unreachable)
 * and the status page at {@code /}, on the JDK's HTTP server. The JDK server keeps vert.x and a
 * second netty line off the classpath the cloud SDKs share, for three read-only pages.
 */
final class HttpEndpoints implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpEndpoints.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Service service;
    private final HttpServer server;

    HttpEndpoints(Service service, int port) throws IOException {
        this.service = service;
        server = HttpServer.create(new InetSocketAddress(port), 0);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> new Thread(r, "caravan-http")));
        server.createContext("/metrics", ex -> reply(ex, 200, "text/plain; version=0.0.4; charset=utf-8", service.metrics().scrape()));
        server.createContext("/health", this::health);
        server.createContext("/", ex -> {
            if (!"/".equals(ex.getRequestURI().getPath())) {
                reply(ex, 404, "text/plain; charset=utf-8", "not found\n");
                return;
            }
            reply(ex, 200, "text/html; charset=utf-8", StatusPage.render(service));
        });
        server.start();
        LOG.info("http: /metrics, /health and the status page on port {}", port());
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Camel's health checks (the context, its routes, and Caravan's destinations check), as JSON; 503 when one is DOWN. */
    private void health(HttpExchange ex) throws IOException {
        Collection<HealthCheck.Result> results = HealthCheckHelper.invoke(service.engine().camel());
        boolean up = results.stream().noneMatch(r -> r.getState() == HealthCheck.State.DOWN);
        Map<String, Object> plans = new LinkedHashMap<>();
        List<Map<String, Object>> checks = new ArrayList<>();
        for (HealthCheck.Result r : results) {
            Map<String, Object> check = new LinkedHashMap<>();
            check.put("id", r.getCheck().getId());
            check.put("state", r.getState().name());
            r.getMessage().ifPresent(m -> check.put("message", m));
            checks.add(check);
            if ("destinations".equals(r.getCheck().getId())) {
                r.getDetails().forEach((key, state) -> {
                    int slash = key.indexOf('/');
                    if (slash > 0) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> destinations = (Map<String, Object>) ((Map<String, Object>) plans
                                .computeIfAbsent(key.substring(0, slash), k -> new LinkedHashMap<>(Map.of("destinations", new LinkedHashMap<>()))))
                                .get("destinations");
                        destinations.put(key.substring(slash + 1), state);
                    }
                });
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        if (service.lastRefusal() != null) {
            body.put("reloadRefused", service.lastRefusal());
        }
        body.put("plans", plans);
        body.put("checks", checks);
        reply(ex, up ? 200 : 503, "application/json", JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body));
    }

    private static void reply(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
