package dev.caravan.model;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * {@code alerts { on 'failure', 'stale'; staleAfter '25h'; webhook 'https://...'; email { ... } }}.
 *
 * @param events     the events that send an alert (see {@link #EVENTS})
 * @param staleAfter how old the newest good backup may get before {@code stale} fires
 * @param webhook    URL that receives a JSON POST per alert, or null
 * @param email      SMTP delivery, or null
 * @param rpo        the declared recovery point objective (how much data a restore may lose), or null: compared
 *                   with the recovery point age in {@code status}, {@code caravan_rpo_target_seconds} and the
 *                   {@code rpo-missed} alert
 */
public record AlertSpec(Set<String> events, Duration staleAfter, String webhook, Email email, Duration rpo) {
    /** Every event, in the order the docs list them. */
    public static final List<String> EVENTS = List.of("failure", "partial", "stale", "anomaly", "recovered",
            "reload-refused", "drill-failed", "rpo-missed", "rto-missed", "wal-spool", "success");
    public static final Set<String> DEFAULT_EVENTS = Set.of("failure", "partial", "stale", "reload-refused", "recovered",
            "drill-failed", "rpo-missed", "rto-missed", "wal-spool");
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofHours(25);
    /** A plan without an {@code alerts} block: events are still decided (and logged), nothing is sent. */
    public static final AlertSpec NONE = new AlertSpec(DEFAULT_EVENTS, DEFAULT_STALE_AFTER, null, null, null);

    public AlertSpec {
        events = Set.copyOf(events);
    }

    /** Without an RPO target. */
    public AlertSpec(Set<String> events, Duration staleAfter, String webhook, Email email) {
        this(events, staleAfter, webhook, email, null);
    }

    public boolean wants(String event) {
        return events.contains(event);
    }

    /**
     * {@code email { to 'ops@example.com'; from 'caravan@example.com'; smtp 'smtp://host:587'; user 'u'; password secret('/p'); starttls true }}.
     *
     * @param smtp     {@code smtp://host:port} or {@code smtps://host:port} (TLS from the first byte)
     * @param starttls on {@code smtp://}: upgrade to TLS before AUTH and the message, and refuse a server that cannot
     * @param trust    PEM file of the CA certificates (or the server's own) to trust instead of the JDK's, or null
     */
    public record Email(List<String> to, String from, String smtp, String user, Secret password, boolean starttls,
                        java.nio.file.Path trust) {
        public Email {
            to = List.copyOf(to);
        }

        public Email(List<String> to, String from, String smtp, String user, Secret password, boolean starttls) {
            this(to, from, smtp, user, password, starttls, null);
        }
    }
}
