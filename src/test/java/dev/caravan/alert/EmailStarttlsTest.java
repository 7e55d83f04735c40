package dev.caravan.alert;

import dev.caravan.dsl.PlanLoader;
import dev.caravan.model.AlertSpec;
import dev.caravan.testing.StarttlsSmtpServer;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The email alert through a real relay on loopback that offers STARTTLS with a self-signed
 * certificate and requires AUTH (aiosmtpd), the way a company smarthost, SES or Gmail takes mail.
 */
class EmailStarttlsTest {
    private static final String WRONG = "not-the-Secret-13";

    @TempDir
    Path tmp;
    private CamelContext camel;
    private PrintStream stderr;
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() {
        camel = new DefaultCamelContext();
        camel.start();
        stderr = System.err;
        System.setErr(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                stderr.write(b);
                logs.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                stderr.write(b, off, len);
                logs.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void tearDown() throws Exception {
        System.setErr(stderr);
        camel.close();
        String all = logs.toString(StandardCharsets.UTF_8);
        assertThat(all).doesNotContain(StarttlsSmtpServer.PASSWORD).doesNotContain(WRONG);
    }

    private AlertSpec.Email email(int port, String password, Path trust) throws Exception {
        Path pw = Files.writeString(tmp.resolve("smtp-" + System.nanoTime() + ".pw"), password + "\n");
        Path plan = Files.writeString(tmp.resolve("plan.groovy"), """
                backup('app') {
                    sources { files('d') { path '/srv/d' } }
                    destinations { local('nas') { path '/mnt/nas' } }
                    alerts {
                        email {
                            to 'ops@example.com'; from 'caravan@example.com'
                            smtp 'smtp://127.0.0.1:%d'
                            user '%s'; password secret('%s')
                            starttls 'required'
                            %s
                        }
                    }
                }
                """.formatted(port, StarttlsSmtpServer.USER, pw, trust == null ? "" : "trust '" + trust + "'"));
        return PlanLoader.load(plan).plans().get(0).alerts().email();
    }

    private List<String> send(AlertSpec.Email email) {
        AlertSpec spec = new AlertSpec(AlertSpec.DEFAULT_EVENTS, AlertSpec.DEFAULT_STALE_AFTER, null, email);
        Alert alert = new Alert("failure", "app", "20261207T030000Z", Map.of("nas", "disk full"), "nas: disk full", Instant.now());
        return new AlertSender(camel).send(spec, alert);
    }

    @Test
    void the_alert_arrives_over_starttls_with_auth_when_the_plan_trusts_the_relays_certificate() throws Exception {
        try (StarttlsSmtpServer smtp = StarttlsSmtpServer.start()) {
            assertThat(send(email(smtp.port(), StarttlsSmtpServer.PASSWORD, smtp.certificate()))).isEmpty();
            assertThat(smtp.messages()).singleElement().satisfies(m -> assertThat(m)
                    .contains("Subject: caravan: plan 'app' failure (backup 20261207T030000Z)")
                    .contains("To: ops@example.com").contains("nas: disk full"));
        }
    }

    @Test
    void a_wrong_password_says_the_relay_refused_the_login() throws Exception {
        try (StarttlsSmtpServer smtp = StarttlsSmtpServer.start()) {
            assertThat(send(email(smtp.port(), WRONG, smtp.certificate()))).containsExactly("email: smtp://127.0.0.1:" + smtp.port()
                    + " refused the login of user 'caravan' (535 5.7.8 Authentication credentials invalid); check user and password");
            assertThat(smtp.messages()).isEmpty();
        }
    }

    @Test
    void an_untrusted_certificate_is_refused_and_nothing_is_sent() throws Exception {
        try (StarttlsSmtpServer smtp = StarttlsSmtpServer.start()) {
            assertThat(send(email(smtp.port(), StarttlsSmtpServer.PASSWORD, null))).containsExactly("email: smtp://127.0.0.1:" + smtp.port()
                    + "'s TLS certificate was refused (not signed by a trusted CA); give its CA with trust '/path/ca.pem'");
            assertThat(smtp.messages()).isEmpty();
        }
    }

    @Test
    void a_relay_without_starttls_is_refused_when_the_plan_requires_it() throws Exception {
        try (StarttlsSmtpServer smtp = StarttlsSmtpServer.plain()) {
            assertThat(send(email(smtp.port(), StarttlsSmtpServer.PASSWORD, null))).containsExactly("email: smtp://127.0.0.1:" + smtp.port()
                    + " does not offer STARTTLS, which the plan requires (starttls 'required'); nothing was sent in clear");
            assertThat(smtp.messages()).isEmpty();
        }
    }
}
