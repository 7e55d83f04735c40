package dev.caravan.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.caravan.backup.Catalog;
import dev.caravan.model.Plan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
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

    private void health(HttpExchange ex) throws IOException {
        boolean up = true;
        Map<String, Object> plans = new LinkedHashMap<>();
        for (Plan p : service.config().plans()) {
            Map<String, String> destinations = new LinkedHashMap<>();
            Catalog c = service.catalog(p.name()).orElse(null);
            for (var d : p.destinations()) {
                String problem = c == null ? null : c.unreachable().get(d.name());
                destinations.put(d.name(), problem == null ? "UP" : "DOWN: " + problem);
                up &= problem == null;
            }
            plans.put(p.name(), Map.of("destinations", destinations));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        if (service.lastRefusal() != null) {
            body.put("reloadRefused", service.lastRefusal());
        }
        body.put("plans", plans);
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
