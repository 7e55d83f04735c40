package dev.caravan.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.model.AlertSpec;
import dev.caravan.pipeline.RouteTemplates;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
            String route = emailRoute(spec.email());
            check(producer.send("direct:" + route, ex -> {
                ex.getIn().setHeader("Subject", alert.text());
                ex.getIn().setBody(alert.mailBody());
            }), "email", failed);
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

    private synchronized String emailRoute(AlertSpec.Email email) {
        String uri = mailUri(email);
        String id = "caravan-alert-email-" + Integer.toHexString(uri.hashCode());
        if (camel.getRoute(id) == null) {
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
        return b.toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
