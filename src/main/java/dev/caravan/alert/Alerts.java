package dev.caravan.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.caravan.model.AlertSpec;
import dev.caravan.model.Plan;
import dev.caravan.pipeline.BackupResult;
import dev.caravan.pipeline.RunListener;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Decides and sends a plan's alerts: after each run ({@link RunListener}), when the newest good
 * backup gets older than {@code staleAfter} ({@link #checkStale}), and when an edit of the plan
 * file is refused ({@link #reloadRefused}). The same event with the same error is sent at most once
 * per {@link #REPEAT_AFTER}; what alerts remember lives in {@code <state>/alerts/<plan>.json}.
 */
public final class Alerts implements RunListener {
    public static final Duration REPEAT_AFTER = Duration.ofHours(1);
    private static final Logger LOG = LoggerFactory.getLogger(Alerts.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final AlertSender sender;

    public Alerts(CamelContext camel, Path stateDir) {
        this.dir = stateDir.resolve("alerts");
        this.sender = new AlertSender(camel);
    }

    @Override
    public synchronized void finished(Plan plan, BackupResult result) {
        PlanHistory h = history(plan.name());
        List<String> events = AlertDecider.decide(result, h);
        Instant now = Instant.now();
        for (String event : events) {
            String error = switch (event) {
                case "failure", "partial" -> AlertDecider.error(result);
                case "anomaly" -> AlertDecider.anomaly(result.bytes(), h.recentSizes()).orElse(null);
                default -> null;
            };
            raise(plan, h, new Alert(event, plan.name(), result.id(), result.destinations(), error, now));
        }
        if (result.storedSomewhere()) {
            h.lastGood = now.toString();
            h.recordSize(result.bytes());
        }
        h.lastOutcome = result.ok() ? "ok" : result.storedSomewhere() ? "partial" : "failure";
        save(plan.name(), h);
    }

    /**
     * Raises {@code stale} when the plan's newest good backup (or, when it never had one,
     * {@code since}) is older than its {@code staleAfter}. Returns whether the plan is stale.
     */
    public synchronized boolean checkStale(Plan plan, Instant since, Instant now) {
        PlanHistory h = history(plan.name());
        Instant last = h.lastGoodTime();
        Instant from = last != null ? last : since;
        Duration age = Duration.between(from, now);
        if (age.compareTo(plan.alerts().staleAfter()) <= 0) {
            return false;
        }
        String error = last == null
                ? "no good backup since " + since + " (staleAfter " + plan.alerts().staleAfter() + ")"
                : "newest good backup is " + age.toMinutes() + " min old, more than staleAfter " + plan.alerts().staleAfter();
        raise(plan, h, new Alert("stale", plan.name(), null, Map.of(), error, now));
        save(plan.name(), h);
        return true;
    }

    /** Raises {@code drill-failed} when a scheduled restore drill did not pass. */
    public synchronized void drillFailed(Plan plan, String backupId, String problem) {
        PlanHistory h = history(plan.name());
        raise(plan, h, new Alert("drill-failed", plan.name(), backupId, Map.of(), problem, Instant.now()));
        save(plan.name(), h);
    }

    /** Raises {@code reload-refused} for each plan of the running configuration that asks for it. */
    public synchronized void reloadRefused(Collection<Plan> plans, String problems) {
        Instant now = Instant.now();
        for (Plan plan : plans) {
            PlanHistory h = history(plan.name());
            raise(plan, h, new Alert("reload-refused", plan.name(), null, Map.of(),
                    "the edited plan file was refused; the previous configuration keeps running:\n" + problems, now));
            save(plan.name(), h);
        }
    }

    /** Seeds the last good backup from the destinations (a fresh state dir, or a service started on a new machine). */
    public synchronized void seedLastGood(String plan, Instant lastGood) {
        PlanHistory h = history(plan);
        if (lastGood != null && (h.lastGoodTime() == null || h.lastGoodTime().isBefore(lastGood))) {
            h.lastGood = lastGood.toString();
            save(plan, h);
        }
    }

    private void raise(Plan plan, PlanHistory h, Alert alert) {
        AlertSpec spec = plan.alerts();
        if (!spec.wants(alert.event())) {
            LOG.info("{} (not an alert for this plan)", alert.text());
            return;
        }
        String error = alert.error() == null ? "" : alert.error();
        String key = alert.event() + "|" + (alert.backupId() == null ? error : error.replace(alert.backupId(), "<id>"));
        String last = h.sent.get(key);
        if (last != null && Duration.between(Instant.parse(last), alert.time()).compareTo(REPEAT_AFTER) < 0) {
            LOG.info("{} (already sent at {}, not repeated within {})", alert.text(), last, REPEAT_AFTER);
            return;
        }
        LOG.warn("{}", alert.text());
        h.sent.entrySet().removeIf(e -> Duration.between(Instant.parse(e.getValue()), alert.time()).compareTo(REPEAT_AFTER) >= 0);
        h.sent.put(key, alert.time().toString());
        sender.send(spec, alert);
    }

    /** What alerts remember about a plan (empty before its first run). */
    public synchronized PlanHistory history(String plan) {
        Path f = dir.resolve(plan + ".json");
        if (Files.isRegularFile(f)) {
            try {
                return JSON.readValue(f.toFile(), PlanHistory.class);
            } catch (IOException e) {
                LOG.warn("{}: unreadable ({}); starting afresh", f, e.getMessage());
            }
        }
        return new PlanHistory();
    }

    private void save(String plan, PlanHistory h) {
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(plan + ".json.tmp");
            JSON.writeValue(tmp.toFile(), h);
            Files.move(tmp, dir.resolve(plan + ".json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("cannot save alert state of plan '{}': {}", plan, e.getMessage());
        }
    }
}
