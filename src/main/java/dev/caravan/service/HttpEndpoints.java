package dev.caravan.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.caravan.io.Redact;
import dev.caravan.io.Tls;
import dev.caravan.model.Secret;
import dev.caravan.model.ServiceSpec;
import dev.caravan.backup.Catalog;
import dev.caravan.model.Plan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;

import java.io.IOException;
import java.io.OutputStream;
import javax.net.ssl.SSLContext;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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

    /** Listens on {@code http.host()} (loopback unless widened), with basic auth and TLS when the plan asks. */
    HttpEndpoints(Service service, ServiceSpec.Http http) throws IOException {
        this.service = service;
        InetSocketAddress at = new InetSocketAddress(http.host(), http.port());
        if (at.isUnresolved()) {
            throw new IOException("http: cannot listen on '" + http.host() + "': no such address");
        }
        if (http.tls() != null) {
            HttpsServer https = HttpsServer.create(at, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(sslContext(http.tls())));
            server = https;
        } else {
            server = HttpServer.create(at, 0);
        }
        server.setExecutor(Executors.newFixedThreadPool(2, r -> new Thread(r, "caravan-http")));
        Authenticator auth = http.user() == null ? null : new Basic(http.user(), http.password());
        context("/metrics", auth, ex -> reply(ex, 200, "text/plain; version=0.0.4; charset=utf-8", service.metrics().scrape()));
        context("/health", auth, this::health);
        context("/", auth, ex -> {
            if (!"/".equals(ex.getRequestURI().getPath())) {
                reply(ex, 404, "text/plain; charset=utf-8", "not found\n");
                return;
            }
            // the page's one script and one style block by hash, nothing from elsewhere, never framed or cached
            ex.getResponseHeaders().set("Content-Security-Policy", StatusAssets.CSP);
            ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            ex.getResponseHeaders().set("Referrer-Policy", "no-referrer");
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            reply(ex, 200, "text/html; charset=utf-8", StatusPage.render(service));
        });
        server.start();
        LOG.info("http: /metrics, /health and the status page on {}://{}:{}{}", http.tls() != null ? "https" : "http",
                http.host(), port(), auth != null ? " (basic auth)" : "");
    }

    private void context(String path, Authenticator auth, com.sun.net.httpserver.HttpHandler handler) {
        HttpContext c = server.createContext(path, handler);
        if (auth != null) {
            c.setAuthenticator(auth);
        }
    }

    private static SSLContext sslContext(ServiceSpec.Tls tls) throws IOException {
        if (tls.keystore() != null) {
            char[] pw = tls.keystorePassword() == null ? new char[0] : tls.keystorePassword().reveal().toCharArray();
            return Tls.server(Tls.keystore(tls.keystore(), pw), pw);
        }
        return Tls.server(Tls.fromPem(tls.certificate(), tls.key()), null);
    }

    /** Basic auth, the way Prometheus' {@code basic_auth} scrape option sends it; both parts compared in constant time. */
    static final class Basic extends BasicAuthenticator {
        private final byte[] user;
        private final byte[] password;

        Basic(String user, Secret password) {
            super("caravan", StandardCharsets.UTF_8);
            this.user = sha256(user);
            this.password = sha256(password.reveal());
        }

        @Override
        public boolean checkCredentials(String u, String p) {
            boolean userOk = MessageDigest.isEqual(user, sha256(u));
            boolean passwordOk = MessageDigest.isEqual(password, sha256(p));
            return userOk & passwordOk;
        }

        private static byte[] sha256(String s) {
            try {
                return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
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
        byte[] bytes = Redact.text(body).getBytes(StandardCharsets.UTF_8);
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
