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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Decides and sends a plan's alerts: after each run ({@link RunListener}), when the newest good
 * backup gets older than {@code staleAfter} ({@link #checkStale}), and when an edit of the plan
 * file is refused ({@link #reloadRefused}). The same event with the same error is sent at most once
 * per {@link #REPEAT_AFTER}.
 *
 * <p>What alerts remember lives in {@code <state>/alerts/<plan>-<key>.json}, where {@code key} is a
 * hash of the plan file's absolute, normalised path and the plan's name ({@link #stateFile}). Plan
 * names are unique only within one file: two plan files on one machine (a test copy and the
 * deployed one, or two teams' files) may both name a plan {@code nightly}, and keyed by name alone
 * they shared one rate limit and one size history, so one's {@code failure} silenced the other's
 * and the size anomaly compared unrelated backups. The file and name were chosen over "what the
 * plan backs up and where" because that changes with every edit of the plan: an edit the service
 * reloads would forget the rate limit, the last outcome ({@code recovered}) and the sizes. Moving a
 * plan file starts its history afresh, which costs at most one repeated alert; the service seeds
 * the last good backup from the destinations again.
 *
 * <p>State written by earlier versions ({@code <state>/alerts/<plan>.json}, keyed by name) is taken
 * over by the first plan file that reads that plan's state, and renamed so that no second file
 * takes it too.
 */
public final class Alerts implements RunListener {
    public static final Duration REPEAT_AFTER = Duration.ofHours(1);
    private static final Logger LOG = LoggerFactory.getLogger(Alerts.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final Path planFile;
    private final AlertSender sender;

    /**
     * @param planFile the plan file the plans come from: their state is kept apart from that of
     *                 plans with the same name in other files
     */
    public Alerts(CamelContext camel, Path stateDir, Path planFile) {
        this.dir = stateDir.resolve("alerts");
        this.planFile = planFile;
        this.sender = new AlertSender(camel);
    }

    /** {@code <state>/alerts/<plan>-<12 hex digits of SHA-256(absolute plan file path, NUL, plan)>.json}. */
    public static Path stateFile(Path stateDir, Path planFile, String plan) {
        String path = planFile.toAbsolutePath().normalize().toString();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((path + "\0" + plan).getBytes(StandardCharsets.UTF_8));
            return stateDir.resolve("alerts").resolve(plan + "-" + HexFormat.of().formatHex(digest, 0, 6) + ".json");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * What alerts remember about {@code plan} of {@code planFile} (empty before its first run), read
     * without taking over state of earlier versions: for {@code status}.
     */
    public static PlanHistory read(Path stateDir, Path planFile, String plan) {
        return readFile(stateFile(stateDir, planFile, plan));
    }

    private static PlanHistory readFile(Path f) {
        if (Files.isRegularFile(f)) {
            try {
                return JSON.readValue(f.toFile(), PlanHistory.class);
            } catch (IOException e) {
                LOG.warn("{}: unreadable ({}); starting afresh", f, e.getMessage());
            }
        }
        return new PlanHistory();
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

    /** Raises {@code rto-missed} when a drill restored and checked the backup, but took longer than the plan's {@code drill { rto }}. */
    public synchronized void rtoMissed(Plan plan, String backupId, Duration took, Duration rto) {
        PlanHistory h = history(plan.name());
        raise(plan, h, new Alert("rto-missed", plan.name(), backupId, Map.of(),
                "the restore drill took " + seconds(took) + ", more than the RTO of " + rto.toString().substring(2).toLowerCase(java.util.Locale.ROOT),
                Instant.now()));
        save(plan.name(), h);
    }

    /**
     * Raises {@code rpo-missed} when the plan's recovery point age ({@code age}: the newest good backup's, or for
     * point-in-time sources the WAL lag) exceeds its {@code alerts { rpo }}. Returns whether it does; false without a target.
     * {@code what} names the recovery point without its age (e.g. the backup's end time), so that the same miss is
     * recognised, and not repeated, within {@link #REPEAT_AFTER}.
     */
    public synchronized boolean checkRpo(Plan plan, Duration age, String what) {
        Duration rpo = plan.alerts().rpo();
        if (rpo == null || age == null || age.compareTo(rpo) <= 0) {
            return false;
        }
        PlanHistory h = history(plan.name());
        raise(plan, h, new Alert("rpo-missed", plan.name(), null, Map.of(),
                what + " is older than the RPO of " + rpo.toString().substring(2).toLowerCase(java.util.Locale.ROOT),
                Instant.now()));
        save(plan.name(), h);
        return true;
    }

    private static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.3fs", d.toNanos() / 1e9);
    }

    /** Raises {@code wal-spool} when the spool of asynchronous WAL archiving fills up ({@code problem} says how far). */
    public synchronized void walSpool(Plan plan, String problem) {
        PlanHistory h = history(plan.name());
        raise(plan, h, new Alert("wal-spool", plan.name(), null, Map.of(), problem, Instant.now()));
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

    private volatile java.util.function.BiConsumer<String, String> raised = (plan, event) -> { };

    /** Told (plan, event) of every alert raised: wanted by the plan and not held back by the rate limit. */
    public void onRaised(java.util.function.BiConsumer<String, String> listener) {
        raised = listener;
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
        raised.accept(plan.name(), alert.event());
        h.sent.entrySet().removeIf(e -> Duration.between(Instant.parse(e.getValue()), alert.time()).compareTo(REPEAT_AFTER) >= 0);
        h.sent.put(key, alert.time().toString());
        int channels = (spec.webhook() != null ? 1 : 0) + (spec.email() != null ? 1 : 0);
        if (sender.send(spec, alert).size() < channels) {
            h.lastSentEvent = alert.event();
            h.lastSent = alert.time().toString();
        }
    }

    /** What alerts remember about a plan of this file (empty before its first run). */
    public synchronized PlanHistory history(String plan) {
        Path f = stateFile(dir.getParent(), planFile, plan);
        Path old = dir.resolve(plan + ".json");
        if (!Files.exists(f) && Files.isRegularFile(old)) {
            // an earlier version's state, keyed by name alone: the first file to ask takes it over
            try {
                Files.move(old, f, StandardCopyOption.ATOMIC_MOVE);
                LOG.info("alert state of plan '{}' ({}) is now kept per plan file in {}", plan, old, f.getFileName());
            } catch (IOException e) {
                LOG.debug("{} not taken over: {}", old, e.getMessage());
            }
        }
        return readFile(f);
    }

    private void save(String plan, PlanHistory h) {
        try {
            Files.createDirectories(dir);
            Path f = stateFile(dir.getParent(), planFile, plan);
            h.planFile = planFile.toAbsolutePath().normalize().toString();
            h.plan = plan;
            Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
            JSON.writeValue(tmp.toFile(), h);
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("cannot save alert state of plan '{}': {}", plan, e.getMessage());
        }
    }
}
