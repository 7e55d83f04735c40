package dev.caravan.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real SMTP server on 127.0.0.1 (Debian's python3-aiosmtpd, run by
 * {@code src/test/resources/smtp/starttls_server.py}) that offers STARTTLS with a self-signed
 * certificate made here by openssl and requires AUTH; or, {@link #plain}, one without STARTTLS.
 */
public final class StarttlsSmtpServer implements AutoCloseable {
    public static final String USER = "caravan";
    public static final String PASSWORD = "smtp-Secret-31";
    private static final Path SCRIPT = Path.of("src/test/resources/smtp/starttls_server.py").toAbsolutePath();

    private final int port;
    private final Path dir;
    private final ServerProcess process;

    private StarttlsSmtpServer(int port, Path dir, ServerProcess process) {
        this.port = port;
        this.dir = dir;
        this.process = process;
    }

    public static StarttlsSmtpServer start() throws IOException {
        return start(false);
    }

    /** Offers neither STARTTLS nor TLS. */
    public static StarttlsSmtpServer plain() throws IOException {
        return start(true);
    }

    private static StarttlsSmtpServer start(boolean plain) throws IOException {
        Path dir = Commands.dataDir("smtp");
        Files.createDirectories(dir.resolve("mail"));
        Commands.run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.resolve("key.pem").toString(),
                "-out", dir.resolve("cert.pem").toString(), "-days", "2", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1"), Map.of(), null);
        int port = ServerProcess.freePort();
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", SCRIPT.toString(), String.valueOf(port),
                dir.resolve("cert.pem").toString(), dir.resolve("key.pem").toString(), USER, PASSWORD, dir.resolve("mail").toString()));
        if (plain) {
            cmd.add("--no-starttls");
        }
        return new StarttlsSmtpServer(port, dir, ServerProcess.start("smtp", cmd, dir, dir.resolve("smtp.log"), port, Duration.ofSeconds(20)));
    }

    public int port() {
        return port;
    }

    /** The server's self-signed certificate (PEM): what a client must trust. */
    public Path certificate() {
        return dir.resolve("cert.pem");
    }

    /** The messages received so far, as raw RFC 5322 text. */
    public List<String> messages() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("mail"))) {
            List<String> out = new ArrayList<>();
            for (Path p : s.filter(f -> f.toString().endsWith(".eml")).sorted().toList()) {
                out.add(Files.readString(p));
            }
            return out;
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
