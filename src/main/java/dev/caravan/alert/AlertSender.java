package dev.caravan.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.io.Redact;
import dev.caravan.io.Tls;
import dev.caravan.model.AlertSpec;
import dev.caravan.pipeline.RouteTemplates;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.TrustManagerFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Delivers an {@link Alert} through the routes of {@code routes/alert-webhook.yaml} (camel-http) and
 * {@code routes/alert-email.yaml} (camel-mail). One route per distinct webhook or mail setup, added
 * on first use; its id carries a hash of the setup, so an edited plan gets a fresh route.
 */
final class AlertSender {
    private static final Logger LOG = LoggerFactory.getLogger(AlertSender.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CamelContext camel;
    private final ProducerTemplate producer;

    AlertSender(CamelContext camel) {
        this.camel = camel;
        this.producer = camel.createProducerTemplate();
    }

    /** Sends to every channel of the spec; returns the channels that failed, with why (also logged). */
    List<String> send(AlertSpec spec, Alert alert) {
        List<String> failed = new ArrayList<>();
        if (spec.webhook() != null) {
            String route = webhookRoute(spec.webhook());
            try {
                String body = JSON.writeValueAsString(alert.json());
                check(producer.send("direct:" + route, ex -> ex.getIn().setBody(body)), "webhook", failed);
            } catch (Exception e) {
                failed.add("webhook: " + e.getMessage());
            }
        }
        if (spec.email() != null) {
            try {
                String route = emailRoute(spec.email());
                Exchange ex = producer.send("direct:" + route, e -> {
                    e.getIn().setHeader("Subject", alert.text());
                    e.getIn().setBody(alert.mailBody());
                });
                if (ex.getException() != null) {
                    failed.add("email: " + mailProblem(spec.email(), ex.getException()));
                }
            } catch (Exception e) {
                failed.add("email: " + mailProblem(spec.email(), e));
            }
        }
        failed.forEach(f -> LOG.warn("alert {} for plan '{}' not sent: {}", alert.event(), alert.plan(), f));
        return failed;
    }

    private static void check(Exchange ex, String channel, List<String> failed) {
        if (ex.getException() != null) {
            failed.add(channel + ": " + ex.getException().getMessage());
        }
    }

    private synchronized String webhookRoute(String url) {
        String id = "caravan-alert-webhook-" + Integer.toHexString(url.hashCode());
        if (camel.getRoute(id) == null) {
            RouteTemplates.ensureLoaded(camel, "caravan-alert-webhook");
            TemplatedRouteBuilder.builder(camel, "caravan-alert-webhook").routeId(id)
                    .parameter("routeId", id).parameter("url", url).add();
        }
        return id;
    }

    private synchronized String emailRoute(AlertSpec.Email email) throws java.io.IOException {
        String uri = mailUri(email);
        String id = "caravan-alert-email-" + Integer.toHexString(uri.hashCode());
        if (camel.getRoute(id) == null) {
            if (email.trust() != null) {
                camel.getRegistry().bind(trustBean(email), sslContextParameters(email.trust()));
            }
            RouteTemplates.ensureLoaded(camel, "caravan-alert-email");
            TemplatedRouteBuilder.builder(camel, "caravan-alert-email").routeId(id)
                    .parameter("routeId", id).parameter("uri", uri).add();
        }
        return id;
    }

    /** The camel-mail endpoint: {@code smtp://host:port?to=..&from=..&username=..&password=RAW(..)}. */
    static String mailUri(AlertSpec.Email email) {
        URI smtp = URI.create(email.smtp());
        int port = smtp.getPort() > 0 ? smtp.getPort() : "smtps".equals(smtp.getScheme()) ? 465 : 25;
        StringBuilder b = new StringBuilder(smtp.getScheme()).append("://").append(smtp.getHost()).append(':').append(port)
                .append("?to=").append(enc(String.join(",", email.to())))
                .append("&from=").append(enc(email.from()))
                .append("&contentType=").append(enc("text/plain; charset=UTF-8"));
        if (email.user() != null) {
            b.append("&username=").append(enc(email.user()));
        }
        if (email.password() != null) {
            b.append("&password=RAW(").append(email.password().reveal()).append(')');
        }
        if (email.starttls()) {
            b.append("&mail.smtp.starttls.enable=true&mail.smtp.starttls.required=true");
        }
        if (email.starttls() || "smtps".equals(smtp.getScheme())) {
            b.append("&mail.").append(smtp.getScheme()).append(".ssl.checkserveridentity=true");
        }
        if (email.trust() != null) {
            b.append("&sslContextParameters=#").append(trustBean(email));
        }
        return b.toString();
    }

    private static String trustBean(AlertSpec.Email email) {
        return "caravan-mail-trust-" + Integer.toHexString(email.trust().toString().hashCode());
    }

    /** TLS to the relay trusting exactly the certificates of the plan's {@code trust} file. */
    private static SSLContextParameters sslContextParameters(java.nio.file.Path trust) throws java.io.IOException {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(Tls.trustStore(trust));
            TrustManagersParameters tm = new TrustManagersParameters();
            tm.setTrustManager(tmf.getTrustManagers()[0]);
            SSLContextParameters p = new SSLContextParameters();
            p.setTrustManagers(tm);
            return p;
        } catch (java.security.GeneralSecurityException e) {
            throw new java.io.IOException(trust + ": " + e.getMessage(), e);
        }
    }

    /** One sentence for why the relay did not take the mail: login, certificate, STARTTLS, or the root cause. */
    static String mailProblem(AlertSpec.Email email, Throwable e) {
        URI smtp = URI.create(email.smtp());
        String relay = smtp.getScheme() + "://" + smtp.getHost() + (smtp.getPort() > 0 ? ":" + smtp.getPort() : "");
        Throwable root = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof jakarta.mail.AuthenticationFailedException) {
                return relay + " refused the login of user '" + email.user() + "'" + reply(t.getMessage()) + "; check user and password";
            }
            if (t instanceof javax.net.ssl.SSLHandshakeException || t instanceof java.security.cert.CertificateException) {
                String why = String.valueOf(t.getMessage());
                return relay + "'s TLS certificate was refused (" + (why.contains("PKIX") || why.contains("certification path")
                        ? "not signed by a trusted CA" : why) + ")" + (email.trust() == null
                        ? "; give its CA with trust '/path/ca.pem'" : "; it is not signed by a CA in " + email.trust());
            }
            if (String.valueOf(t.getMessage()).contains("STARTTLS is required")) {
                return relay + " does not offer STARTTLS, which the plan requires (starttls 'required'); nothing was sent in clear";
            }
            root = t;
        }
        return relay + ": " + Redact.text(String.valueOf(root.getMessage() != null ? root.getMessage() : root.toString()))
                .lines().findFirst().orElse("").strip();
    }

    private static String reply(String message) {
        String m = message == null ? "" : message.strip();
        return m.isEmpty() || m.equals("failed to connect") ? "" : " (" + m.lines().findFirst().orElse("") + ")";
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
