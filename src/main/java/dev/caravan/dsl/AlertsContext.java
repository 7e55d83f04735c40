package dev.caravan.dsl;

import dev.caravan.model.AlertSpec;
import dev.caravan.model.Durations;
import groovy.lang.Closure;
import groovy.lang.DelegatesTo;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code alerts { on 'failure', 'stale'; staleAfter '25h'; webhook 'https://...'; email { ... } }} of one plan. */
public final class AlertsContext extends Context {
    private static final Map<String, String> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("on", "on 'failure', 'partial', 'stale', 'anomaly', 'recovered', 'reload-refused', 'drill-failed', 'wal-spool', 'success'");
        KEYS.put("staleAfter", "staleAfter '25h'");
        KEYS.put("webhook", "webhook 'https://hooks.example.com/T000/B000'");
        KEYS.put("email", "email { to 'ops@example.com'; from 'caravan@example.com'; smtp 'smtp://mail:587' }");
    }

    private Set<String> events = AlertSpec.DEFAULT_EVENTS;
    private Duration staleAfter = AlertSpec.DEFAULT_STALE_AFTER;
    private String webhook;
    private AlertSpec.Email email;

    AlertsContext(Loading loading) {
        super(loading);
    }

    @Override
    String where() {
        return "alerts: ";
    }

    @Override
    Map<String, String> keys() {
        return KEYS;
    }

    public void on(Object... names) {
        if (!once("on")) {
            return;
        }
        Set<String> chosen = new LinkedHashSet<>();
        for (Object n : names) {
            String e = text(n);
            if (e == null || !AlertSpec.EVENTS.contains(e)) {
                problem("unknown event '" + n + "'", Suggest.didYouMean(String.valueOf(n), AlertSpec.EVENTS)
                        .map(s -> List.of("did you mean '" + s + "'?"))
                        .orElse(List.of("expected one of: " + String.join(", ", AlertSpec.EVENTS))));
            } else {
                chosen.add(e);
            }
        }
        events = chosen;
    }

    public void staleAfter(Object duration) {
        if (!once("staleAfter")) {
            return;
        }
        try {
            staleAfter = Durations.parse(String.valueOf(text(duration) == null ? duration : text(duration)));
        } catch (IllegalArgumentException e) {
            problem("staleAfter: " + e.getMessage());
        }
    }

    public void webhook(Object url) {
        if (!once("webhook")) {
            return;
        }
        String u = text(url);
        if (u == null || !(u.startsWith("http://") || u.startsWith("https://"))) {
            problem("webhook must be an http:// or https:// URL, not '" + url + "'");
        } else {
            webhook = u;
        }
    }

    public void email(@DelegatesTo(value = EmailContext.class, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        if (once("email")) {
            email = run(body, new EmailContext(loading)).build();
        }
    }

    AlertSpec build() {
        return new AlertSpec(events, staleAfter, webhook, email);
    }
}
