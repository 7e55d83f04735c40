package dev.caravan.cli;

import dev.caravan.audit.AuditLog;
import dev.caravan.backup.Pruner;
import dev.caravan.lock.PlanLock;
import dev.caravan.model.Plan;
import dev.caravan.pipeline.Engine;
import dev.caravan.retention.Decision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "prune", description = "Apply retention at every destination and say which rule keeps each backup.")
final class PruneCommand extends PlanCommand {
    @Option(names = "--plan", paramLabel = "P", description = "Only this plan.")
    String plan;

    @Option(names = "--dry-run", description = "Say what would be removed; remove nothing.")
    boolean dryRun;

    @Override
    @SuppressWarnings("try") // the plan lock is held for the whole block, never read
    int execute() throws Exception {
        boolean ok = true;
        List<Map<String, Object>> report = new ArrayList<>();
        try (Engine engine = engine()) {
            for (Plan p : plans(plan)) {
                Pruner.Report r;
                try (PlanLock lock = PlanLock.acquire(engine.settings().stateDir(), p.name(), "prune")) {
                    r = new Pruner(p, engine.destinations(p)).prune(dryRun, null);
                }
                if (!dryRun && !r.lines().isEmpty()) {
                    AuditLog.in(engine.settings().stateDir()).prune(p.name(), r.lines(), r.problems());
                }
                ok &= r.ok();
                if (json) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("plan", p.name());
                    m.put("dryRun", dryRun);
                    m.put("decisions", r.decisions());
                    m.put("actions", r.lines());
                    m.put("problems", r.problems());
                    report.add(m);
                    continue;
                }
                out().println("plan '" + p.name() + "'" + (dryRun ? " (dry run)" : "") + ": retention " + CheckCommand.describe(p.retention()));
                for (Map.Entry<String, Decision> d : r.decisions().entrySet()) {
                    out().println("  " + d.getKey() + ":");
                    for (Decision.Kept k : d.getValue().kept()) {
                        out().println("    keep   " + k.backup().id() + "  " + String.join(", ", k.reasons()));
                    }
                    for (var gone : d.getValue().prune()) {
                        out().println("    " + (dryRun ? "prune  " : "pruned ") + gone.id() + "  " + d.getValue().whyPruned(gone.id()));
                    }
                }
                r.lines().stream().filter(l -> l.contains("incomplete") || l.contains(" WAL file")).forEach(l -> out().println("  " + l));
                r.problems().forEach((d, why) -> err().println("caravan: " + p.name() + "/" + d + ": " + why));
            }
        }
        if (json) {
            printJson(report);
        }
        return ok ? OK : FAILED;
    }
}
