package dev.caravan.cli;

import dev.caravan.backup.BackupId;
import dev.caravan.backup.Catalog;
import dev.caravan.model.Plan;
import dev.caravan.pipeline.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "status", description = "Per plan and destination: last good backup, its age, how many, total size; exit 1 if a destination is unreachable or holds none.")
final class StatusCommand extends PlanCommand {
    @Option(names = "--plan", paramLabel = "P", description = "Only this plan.")
    String plan;

    @Override
    int execute() throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        boolean allGood = true;
        Instant now = Instant.now();
        try (Engine engine = engine()) {
            for (Plan p : plans(plan)) {
                Catalog c = Catalog.scan(p.name(), engine.destinations(p));
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
                    row.put("incomplete", c.incomplete().stream().filter(i -> i.destination().equals(d)).count());
                    rows.add(row);
                }
            }
        }
        if (json) {
            printJson(Map.of("destinations", rows));
        } else {
            out().printf("%-12s %-12s %-17s %8s %10s %8s %10s  %s%n", "PLAN", "DESTINATION", "LAST GOOD", "AGE", "LAST SIZE", "BACKUPS", "TOTAL", "NOTE");
            for (Map<String, Object> r : rows) {
                out().printf("%-12s %-12s %-17s %8s %10s %8s %10s  %s%n", r.get("plan"), r.get("destination"),
                        r.getOrDefault("lastGood", "-"),
                        r.containsKey("ageSeconds") ? Sizes.duration(Duration.ofSeconds((Long) r.get("ageSeconds"))) : "-",
                        r.containsKey("lastBytes") ? Sizes.human((Long) r.get("lastBytes")) : "-",
                        r.get("backups"), Sizes.human((Long) r.get("totalBytes")),
                        r.containsKey("error") ? r.get("error") : ((Long) r.get("incomplete") > 0 ? r.get("incomplete") + " incomplete (prune removes)" : ""));
            }
        }
        return allGood ? OK : FAILED;
    }
}
