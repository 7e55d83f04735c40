package dev.caravan.cli;

import dev.caravan.alert.Alerts;
import dev.caravan.alert.PlanHistory;
import dev.caravan.backup.BackupId;
import dev.caravan.backup.Catalog;
import dev.caravan.model.Plan;
import dev.caravan.pipeline.Engine;
import dev.caravan.wal.WalLag;
import dev.caravan.wal.WalSpool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "status", description = "Per plan and destination: last good backup, its age, how many, total size; per plan: RPO (newest good backup's age against staleAfter) and the last alert sent; exit 1 if a destination is unreachable or holds none, or a plan is late.")
final class StatusCommand extends PlanCommand {
    @Option(names = "--plan", paramLabel = "P", description = "Only this plan.")
    String plan;

    @Override
    int execute() throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        List<Map<String, Object>> planRows = new ArrayList<>();
        List<WalLag> lags = new ArrayList<>();
        boolean allGood = true;
        Instant now = Instant.now();
        try (Engine engine = engine()) {
            for (Plan p : plans(plan)) {
                List<WalLag> planLags = WalLag.measure(engine, p);
                lags.addAll(planLags);
                Catalog c = Catalog.withLeftovers(p.name(), engine.destinations(p));
                Map<String, Object> rpo = rpoRow(p, c, Alerts.read(engine.settings().stateDir(), file, p.name()), now);
                rpoTarget(p, rpo, planLags, now);
                allGood &= "within".equals(rpo.get("rpo"));
                planRows.add(rpo);
                for (String d : engine.destinations(p).keySet()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("plan", p.name());
                    row.put("destination", d);
                    List<Catalog.Backup> held = c.backupsAt(d);
                    if (c.unreachable().containsKey(d)) {
                        row.put("error", c.unreachable().get(d));
                        allGood = false;
                    } else if (held.isEmpty()) {
                        row.put("error", "no complete backup");
                        allGood = false;
                    } else {
                        Catalog.Backup last = held.get(0);
                        row.put("lastGood", last.id());
                        row.put("ageSeconds", Duration.between(BackupId.time(last.id()), now).toSeconds());
                        row.put("lastBytes", last.size());
                    }
                    row.put("backups", held.size());
                    row.put("totalBytes", held.stream().mapToLong(Catalog.Backup::size).sum());
                    if (c.chunkBytesAt(d) > 0) {
                        // dedup: the backups' dumps against what their objects and shared chunks take
                        row.put("logicalBytes", c.logicalBytesAt(d));
                        row.put("storedBytes", c.storedBytesAt(d));
                        row.put("dedupRatio", Sizes.ratio(c.logicalBytesAt(d), c.storedBytesAt(d)));
                        row.put("totalBytes", c.storedBytesAt(d));
                    }
                    List<Catalog.Incomplete> left = c.incomplete().stream().filter(i -> i.destination().equals(d)).toList();
                    row.put("incomplete", left.stream().filter(i -> !i.hasManifest()).count());
                    row.put("leftovers", left.stream().map(StatusCommand::leftoverRow).toList());
                    rows.add(row);
                }
            }
        }
        if (json) {
            printJson(Map.of("destinations", rows, "plans", planRows, "wal", lags.stream().map(l -> walRow(l, now)).toList()));
        } else {
            out().printf("%-12s %-12s %-17s %8s %10s %8s %10s  %s%n", "PLAN", "DESTINATION", "LAST GOOD", "AGE", "LAST SIZE", "BACKUPS", "TOTAL", "NOTE");
            for (Map<String, Object> r : rows) {
                out().printf("%-12s %-12s %-17s %8s %10s %8s %10s  %s%n", r.get("plan"), r.get("destination"),
                        r.getOrDefault("lastGood", "-"),
                        r.containsKey("ageSeconds") ? Sizes.duration(Duration.ofSeconds((Long) r.get("ageSeconds"))) : "-",
                        r.containsKey("lastBytes") ? Sizes.human((Long) r.get("lastBytes")) : "-",
                        r.get("backups"), Sizes.human((Long) r.get("totalBytes")),
                        r.containsKey("error") ? r.get("error") : (r.containsKey("dedupRatio") ? "dedup " + r.get("dedupRatio")
                                + "x (logical " + Sizes.human((Long) r.get("logicalBytes")) + ", stored " + Sizes.human((Long) r.get("storedBytes"))
                                + ") " : "") + leftoverNote(r));
            }
            printRpo(planRows);
            printWal(lags, now);
        }
        return allGood ? OK : FAILED;
    }

    /**
     * A plan's RPO compliance: its newest good backup (at any destination) and that backup's age
     * against {@code staleAfter} ({@code within}, or {@code late}, also when there is none), and
     * the last alert sent to a webhook or by email (from the alert state, {@link Alerts#read}).
     */
    private static Map<String, Object> rpoRow(Plan p, Catalog c, PlanHistory alerts, Instant now) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("plan", p.name());
        Duration staleAfter = p.alerts().staleAfter();
        row.put("staleAfterSeconds", staleAfter.toSeconds());
        if (c.backups().isEmpty()) {
            row.put("newestGood", null);
            row.put("ageSeconds", null);
            row.put("rpo", "late");
        } else {
            String newest = c.backups().get(0).id();
            Duration age = Duration.between(BackupId.time(newest), now);
            row.put("newestGood", newest);
            row.put("ageSeconds", age.toSeconds());
            row.put("rpo", age.compareTo(staleAfter) <= 0 ? "within" : "late");
        }
        Map<String, Object> lastAlert = null;
        if (alerts.lastSent != null) {
            lastAlert = new LinkedHashMap<>();
            lastAlert.put("event", alerts.lastSentEvent);
            lastAlert.put("time", alerts.lastSent);
        }
        row.put("lastAlert", lastAlert);
        return row;
    }

    /**
     * With {@code alerts { rpo }}: the recovery point age (per source the WAL lag of a continuous postgres source
     * while it is known, else the newest good backup's age; the largest) against the target, which then decides
     * {@code within} or {@code late} instead of {@code staleAfter}.
     */
    private static void rpoTarget(Plan p, Map<String, Object> row, List<WalLag> lags, Instant now) {
        Duration target = p.alerts().rpo();
        row.put("rpoTargetSeconds", target == null ? null : target.toSeconds());
        Long backupAge = (Long) row.get("ageSeconds");
        Double worst = null;
        for (var source : p.sources()) {
            Double wal = lags.stream().filter(l -> l.source().equals(source.name())).findFirst()
                    .map(l -> l.secondsAt(now)).filter(x -> !x.isNaN()).orElse(null);
            Double age = wal != null ? wal : backupAge == null ? null : backupAge.doubleValue();
            if (age == null) {
                worst = null;
                break;
            }
            worst = worst == null ? age : Math.max(worst, age);
        }
        row.put("recoveryPointAgeSeconds", worst);
        if (target != null) {
            row.put("rpo", worst != null && worst <= target.toSeconds() ? "within" : "late");
        }
    }

    @SuppressWarnings("unchecked")
    private void printRpo(List<Map<String, Object>> planRows) {
        out().printf("%n%-12s %-17s %8s %11s %10s %-6s  %s%n", "PLAN", "NEWEST GOOD", "AGE", "STALE AFTER", "RPO TARGET", "RPO", "LAST ALERT");
        for (Map<String, Object> r : planRows) {
            Map<String, Object> alert = (Map<String, Object>) r.get("lastAlert");
            out().printf("%-12s %-17s %8s %11s %10s %-6s  %s%n", r.get("plan"),
                    r.get("newestGood") == null ? "-" : r.get("newestGood"),
                    r.get("ageSeconds") == null ? "-" : Sizes.duration(Duration.ofSeconds((Long) r.get("ageSeconds"))),
                    Sizes.duration(Duration.ofSeconds((Long) r.get("staleAfterSeconds"))),
                    r.get("rpoTargetSeconds") == null ? "-" : Sizes.duration(Duration.ofSeconds((Long) r.get("rpoTargetSeconds"))),
                    r.get("rpo"),
                    alert == null ? "none sent" : alert.get("event") + " at " + alert.get("time"));
        }
    }

    /** What a run that died left in one backup folder, until the next run's retention or {@code prune} removes it. */
    private static Map<String, Object> leftoverRow(Catalog.Incomplete i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", i.id());
        m.put("manifest", i.hasManifest());
        m.put("objects", i.keys());
        m.put("partial", i.partials());
        return m;
    }

    /** {@code 2 incomplete, 1 with partial objects (prune removes): 20250101T000000Z, ...}, or nothing. */
    @SuppressWarnings("unchecked")
    private static String leftoverNote(Map<String, Object> r) {
        List<Map<String, Object>> left = (List<Map<String, Object>>) r.get("leftovers");
        if (left.isEmpty()) {
            return "";
        }
        long incomplete = (Long) r.get("incomplete");
        long partialOnly = left.size() - incomplete;
        return (incomplete > 0 ? incomplete + " incomplete" : "") + (incomplete > 0 && partialOnly > 0 ? ", " : "")
                + (partialOnly > 0 ? partialOnly + " with partial objects" : "") + " (prune removes): "
                + String.join(", ", left.stream().map(m -> (String) m.get("id")).toList());
    }

    /** One continuous postgres source's WAL archiving lag ({@link WalLag}); {@code error} instead of a figure when the server cannot be asked. */
    private static Map<String, Object> walRow(WalLag l, Instant now) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("plan", l.plan());
        row.put("source", l.source());
        if (l.error() != null) {
            row.put("error", l.error());
            return row;
        }
        row.put("lagSeconds", Math.round(l.secondsAt(now) * 10) / 10.0);
        row.put("pendingBytes", l.pendingBytes());
        row.put("lastArchived", l.lastArchived());
        row.put("lastArchivedTime", l.lastArchivedTime() == null ? null : l.lastArchivedTime().toString());
        if (l.lastFailed() != null) {
            row.put("lastFailed", l.lastFailed());
            row.put("lastFailedTime", l.lastFailedTime().toString());
        }
        if (l.spool() != null) {
            Map<String, Object> spool = new LinkedHashMap<>();
            spool.put("segments", l.spool().segments());
            spool.put("bytes", l.spool().bytes());
            spool.put("limitBytes", l.spool().limit());
            spool.put("oldestSeconds", Math.round(l.spool().oldestSeconds(now) * 10) / 10.0);
            row.put("spool", spool);
        }
        return row;
    }

    /** With asynchronous archiving: what waits in the spool, e.g. {@code spool: 3 files, 48.0 MiB of 2.0 GiB, oldest 12s}. */
    private static String spoolNote(WalLag l, Instant now) {
        if (l.spool() == null) {
            return "";
        }
        WalSpool.Depth d = l.spool();
        return "spool: " + d.segments() + (d.segments() == 1 ? " file, " : " files, ") + Sizes.human(d.bytes()) + " of " + Sizes.human(d.limit())
                + (d.segments() == 0 ? "" : ", oldest " + Sizes.duration(Duration.ofSeconds(Math.round(d.oldestSeconds(now)))))
                + (d.fill() >= WalSpool.ALERT_AT ? " (nearly full: is the service shipping?)" : "");
    }

    private void printWal(List<WalLag> lags, Instant now) {
        if (lags.isEmpty()) {
            return;
        }
        out().printf("%n%-12s %-12s %8s %10s %-26s %s%n", "PLAN", "WAL SOURCE", "WAL LAG", "PENDING", "LAST ARCHIVED", "NOTE");
        for (WalLag l : lags) {
            if (l.error() != null) {
                out().printf("%-12s %-12s %8s %10s %-26s %s%n", l.plan(), l.source(), "-", "-", "-", l.error());
                continue;
            }
            out().printf("%-12s %-12s %8s %10s %-26s %s%n", l.plan(), l.source(),
                    Sizes.duration(Duration.ofSeconds(Math.round(l.secondsAt(now)))),
                    l.pendingBytes() < 0 ? "?" : Sizes.human(l.pendingBytes()),
                    l.lastArchived() == null ? "-" : l.lastArchived(),
                    (l.lastFailed() == null ? "" : "archiving fails since " + l.lastFailedTime() + " (" + l.lastFailed() + "): a destination is down? ")
                            + spoolNote(l, now));
        }
    }
}
