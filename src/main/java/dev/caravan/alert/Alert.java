package dev.caravan.alert;

import dev.caravan.io.Redact;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One alert as sent: the webhook's JSON body (field names below) and the email's text.
 *
 * @param event        failure, partial, stale, anomaly, recovered, reload-refused or success
 * @param plan         plan name
 * @param backupId     the run's backup id, or null (stale, reload-refused)
 * @param destinations per destination: null when it holds a verified copy, else why not (empty when not about a run)
 * @param error        what went wrong in one sentence, or null
 * @param time         when the alert was raised
 */
public record Alert(String event, String plan, String backupId, Map<String, String> destinations, String error,
                    Instant time) {
    public Alert {
        LinkedHashMap<String, String> masked = new LinkedHashMap<>();
        if (destinations != null) {
            destinations.forEach((name, problem) -> masked.put(name, Redact.text(problem)));
        }
        destinations = masked;
        error = Redact.text(error);
    }

    /** One line a human reads first (Slack shows it as the message). */
    public String text() {
        StringBuilder b = new StringBuilder("caravan: plan '").append(plan).append("' ").append(event);
        if (backupId != null) {
            b.append(" (backup ").append(backupId).append(')');
        }
        if (error != null) {
            b.append(": ").append(error);
        }
        return b.toString();
    }

    /** The webhook body: event, plan, backupId, destinations (name: {status, error}), error, time and text. */
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", event);
        m.put("plan", plan);
        m.put("backupId", backupId);
        Map<String, Object> d = new LinkedHashMap<>();
        destinations.forEach((name, problem) -> {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("status", problem == null ? "ok" : "failed");
            if (problem != null) {
                s.put("error", problem);
            }
            d.put(name, s);
        });
        m.put("destinations", d);
        m.put("error", error);
        m.put("time", time.toString());
        m.put("text", text());
        return m;
    }

    /** The email body: the text line, then one line per destination. */
    public String mailBody() {
        StringBuilder b = new StringBuilder(text()).append("\n\n");
        b.append("event:  ").append(event).append('\n');
        b.append("plan:   ").append(plan).append('\n');
        if (backupId != null) {
            b.append("backup: ").append(backupId).append('\n');
        }
        b.append("time:   ").append(time).append('\n');
        destinations.forEach((name, problem) -> b.append("destination ").append(name).append(": ")
                .append(problem == null ? "ok" : problem).append('\n'));
        return b.toString();
    }
}
