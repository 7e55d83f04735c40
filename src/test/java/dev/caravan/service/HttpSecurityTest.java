package dev.caravan.service;

import dev.caravan.dsl.PlanLoader;
import dev.caravan.io.Tls;
import dev.caravan.pipeline.EngineSettings;
import dev.caravan.pipeline.ProgressListener;
import dev.caravan.testing.Commands;
import dev.caravan.testing.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where the service's HTTP endpoint listens, basic auth in front of it, and HTTPS from a PEM pair or a keystore. */
class HttpSecurityTest {
    private static final String PASSWORD = "scrape-Secret-42";

    @TempDir
    Path tmp;

    private Service start(String http) throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve("f.txt"), "x\n");
        Path file = Files.writeString(tmp.resolve("plan.groovy"), """
                backup('web') {
                    sources { files('site') { path '%s' } }
                    destinations { local('nas') { path '%s' } }
                }
                service { catchUp false; http %s }
                """.formatted(data, tmp.resolve("nas"), http));
        Service s = new Service(PlanLoader.load(file), new EngineSettings(tmp.resolve("state"), tmp.resolve("work"),
                ProgressListener.NONE), Service.Timing.DEFAULT);
        s.start();
        return s;
    }

    @Test
    void by_default_it_listens_on_loopback_only_and_needs_no_login() throws Exception {
        int port = ServerProcess.freePort();
        try (Service s = start("port: " + port)) {
            assertThat(listening(port)).containsExactly("127.0.0.1");
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void widened_with_basic_auth_and_tls_from_a_pem_pair() throws Exception {
        Path cert = tmp.resolve("tls.crt");
        Path key = tmp.resolve("tls.key");
        Commands.run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out",
                cert.toString(), "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"), Map.of(), null);
        Path pw = Files.writeString(tmp.resolve("http.pw"), PASSWORD + "\n");
        int port = ServerProcess.freePort();
        try (Service s = start("host: '0.0.0.0', port: " + port + ", user: 'prometheus', password: secret('" + pw + "'), tlsCert: '"
                + cert + "', tlsKey: '" + key + "'")) {
            assertThat(listening(port)).containsExactly("0.0.0.0");
            HttpClient client = HttpClient.newBuilder().sslContext(Tls.client(cert)).build();
            String base = "https://127.0.0.1:" + port;
            for (String path : List.of("/metrics", "/health", "/")) {
                assertThat(get(client, base + path, null).statusCode()).as(path + " without credentials").isEqualTo(401);
                assertThat(get(client, base + path, "prometheus:wrong").statusCode()).as(path + " with a wrong password").isEqualTo(401);
                assertThat(get(client, base + path, "grafana:" + PASSWORD).statusCode()).as(path + " with a wrong user").isEqualTo(401);
                HttpResponse<String> ok = get(client, base + path, "prometheus:" + PASSWORD);
                assertThat(ok.statusCode()).as(path).isEqualTo(200);
                assertThat(ok.body()).contains("web").doesNotContain(PASSWORD);
            }
            assertThat(get(client, base + "/metrics", "prometheus:" + PASSWORD).body()).contains("caravan_stale_after_seconds");
            HttpResponse<String> unauthorized = get(client, base + "/metrics", null);
            assertThat(unauthorized.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
            // a client that does not trust the certificate, and plain HTTP on the TLS port, get nothing
            assertThatThrownBy(() -> get(HttpClient.newHttpClient(), base + "/metrics", "prometheus:" + PASSWORD))
                    .isInstanceOf(IOException.class);
            assertThatThrownBy(() -> get(HttpClient.newHttpClient(), "http://127.0.0.1:" + port + "/metrics", "prometheus:" + PASSWORD))
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void tls_from_a_pkcs12_keystore() throws Exception {
        Path ks = tmp.resolve("server.p12");
        Commands.run(List.of("keytool", "-genkeypair", "-alias", "caravan", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", ks.toString(), "-storepass", "ks-pass-1"), Map.of(), null);
        Path cert = tmp.resolve("server.crt");
        Commands.run(List.of("keytool", "-exportcert", "-rfc", "-alias", "caravan", "-keystore", ks.toString(),
                "-storepass", "ks-pass-1", "-file", cert.toString()), Map.of(), null);
        Path kpw = Files.writeString(tmp.resolve("ks.pw"), "ks-pass-1");
        int port = ServerProcess.freePort();
        try (Service s = start("port: " + port + ", keystore: '" + ks + "', keystorePassword: secret('" + kpw + "')")) {
            HttpClient client = HttpClient.newBuilder().sslContext(Tls.client(cert)).build();
            assertThat(get(client, "https://127.0.0.1:" + port + "/health", null).statusCode()).isEqualTo(200);
        }
    }

    private static HttpResponse<String> get(HttpClient client, String url, String login) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
        if (login != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(login.getBytes(StandardCharsets.UTF_8)));
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The local addresses a LISTEN socket on {@code port} is bound to, from /proc/net/tcp and tcp6 (:: shown as 0.0.0.0). */
    static List<String> listening(int port) throws IOException {
        List<String> addresses = new ArrayList<>();
        String hexPort = String.format(Locale.ROOT, "%04X", port);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table)).subList(1, Files.readAllLines(Path.of(table)).size())) {
                String[] f = line.trim().split("\\s+");
                String[] local = f[1].split(":");
                if (local[1].equals(hexPort) && f[3].equals("0A")) {
                    addresses.add(address(local[0]));
                }
            }
        }
        return addresses;
    }

    private static String address(String hex) {
        if (hex.length() == 8) {
            if (hex.equals("00000000")) {
                return "0.0.0.0";
            }
            StringBuilder b = new StringBuilder();
            for (int i = 6; i >= 0; i -= 2) {
                b.append(Integer.parseInt(hex.substring(i, i + 2), 16)).append(i > 0 ? "." : "");
            }
            return b.toString();
        }
        // Java listens on IPv6 sockets: 0.0.0.0 becomes ::, 127.0.0.1 the v4-mapped ::ffff:127.0.0.1
        return hex.equals("00000000000000000000000000000000") ? "0.0.0.0" : hex.equals("0000000000000000FFFF00000100007F") ? "127.0.0.1" : hex;
    }
}
