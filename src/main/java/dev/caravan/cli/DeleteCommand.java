package dev.caravan.cli;

import dev.caravan.audit.AuditLog;
import dev.caravan.backup.Catalog;
import dev.caravan.backup.Pruner;
import dev.caravan.destination.Destination;
import dev.caravan.lock.PlanLock;
import dev.caravan.model.Plan;
import dev.caravan.pipeline.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.Map;

@Command(name = "delete", description = "Remove one backup (from every destination, or only --from D).")
final class DeleteCommand extends PlanCommand {
    @Parameters(index = "1", paramLabel = "ID", description = "The backup id ('latest' is not accepted here).")
    String id;

    @Option(names = "--plan", paramLabel = "P", description = "The plan (needed when the file has several).")
    String plan;

    @Option(names = "--from", paramLabel = "D", description = "Only from this destination.")
    String from;

    @Override
    @SuppressWarnings("try") // the plan lock is held for the whole block, never read
    int execute() throws Exception {
        if (!dev.caravan.backup.BackupId.isId(id)) {
            throw new UsageException("delete takes a backup id like 20250315T143022Z, not '" + id + "'");
        }
        Plan p = onePlan(plan);
        int failures = 0;
        try (Engine engine = engine(); PlanLock lock = PlanLock.acquire(engine.settings().stateDir(), p.name(), "delete " + id)) {
            Map<String, Destination> dests = Backups.destinations(engine, p, from);
            Catalog c = Catalog.scan(p.name(), dests);
            boolean known = c.find(id).isPresent() || c.incomplete().stream().anyMatch(i -> i.id().equals(id));
            if (!known) {
                err().println("caravan: plan '" + p.name() + "' has no backup " + id);
                return FAILED;
            }
            AuditLog audit = AuditLog.in(engine.settings().stateDir());
            for (Map.Entry<String, Destination> d : dests.entrySet()) {
                try {
                    int n = Pruner.delete(d.getValue(), p.name(), id);
                    if (n > 0) {
                        audit.delete(p.name(), id, d.getKey(), n, null);
                        out().println(d.getKey() + ": deleted " + id + " (" + n + " objects)");
                    }
                } catch (Exception e) {
                    failures++;
                    audit.delete(p.name(), id, d.getKey(), 0, e.getMessage());
                    err().println("caravan: " + d.getKey() + ": cannot delete " + id + ": " + e.getMessage());
                }
            }
        }
        return failures == 0 ? OK : FAILED;
    }
}
