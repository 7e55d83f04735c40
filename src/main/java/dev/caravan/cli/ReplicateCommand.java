package dev.caravan.cli;

import dev.caravan.audit.AuditLog;
import dev.caravan.backup.Replicator;
import dev.caravan.lock.PlanLock;
import dev.caravan.model.Plan;
import dev.caravan.pipeline.Engine;
import dev.caravan.pipeline.Fanout;
import dev.caravan.pipeline.StreamPipe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "replicate", description = "Copy backups that some destinations lack from a destination whose copy verifies; exit 1 names what could not be healed.")
final class ReplicateCommand extends PlanCommand {
    @Option(names = "--plan", paramLabel = "P", description = "Only this plan.")
    String plan;

    @Option(names = "--dry-run", description = "Say what would be copied; copy nothing.")
    boolean dryRun;

    @Override
    @SuppressWarnings("try") // the plan lock is held for the whole block, never read
    int execute() throws Exception {
        boolean ok = true;
        List<Map<String, Object>> report = new ArrayList<>();
        try (Engine engine = engine()) {
            for (Plan p : plans(plan)) {
                Replicator.Report r;
                try (PlanLock lock = PlanLock.acquire(engine.settings().stateDir(), p.name(), "replicate")) {
                    Replicator replicator = new Replicator(p.name(), engine.destinations(p),
                            (to, key, file, bytes, sha256) -> engine.fanout().store(key, new StreamPipe.Spooled(file, bytes, sha256, bytes),
                                    engine.targets(p).stream().filter(t -> to.contains(t.name())).toList(), Fanout.Options.VERIFIED),
                            engine.settings().workDir().resolve(p.name() + "-replicate-" + ProcessHandle.current().pid()));
                    r = replicator.replicate(dryRun);
                }
                if (!dryRun) {
                    AuditLog audit = AuditLog.in(engine.settings().stateDir());
                    r.outcomes().forEach(o -> audit.replicate(p.name(), o.id(), o.from(), o.destination(), o.objects(), o.bytes(), o.problem()));
                }
                ok &= r.ok();
                if (json) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("plan", p.name());
                    m.put("dryRun", dryRun);
                    m.put("copies", r.outcomes());
                    m.put("unreachable", r.unreachable());
                    m.put("notUsedAsSource", r.distrusted());
                    report.add(m);
                } else {
                    print(p, r);
                }
            }
        }
        if (json) {
            printJson(report);
        }
        return ok ? OK : FAILED;
    }

    private void print(Plan p, Replicator.Report r) {
        out().println("plan '" + p.name() + "'" + (dryRun ? " (dry run)" : "") + ": "
                + (r.outcomes().isEmpty() ? "every reachable destination holds every backup" : r.outcomes().size() + " missing copies"));
        for (Replicator.Outcome o : r.outcomes()) {
            if (!o.ok()) {
                out().println("  " + o.id() + " -> " + o.destination() + ": FAILED: " + o.problem());
            } else if (dryRun) {
                out().println("  " + o.id() + " -> " + o.destination() + ": would copy " + o.objects() + " objects ("
                        + Sizes.human(o.bytes()) + ") from a holder that verifies, e.g. " + o.from());
            } else if (o.from() == null) {
                // every object was already there and verified (an upload whose answer was lost): only the manifest was missing
                out().println("  " + o.id() + " -> " + o.destination() + ": every object was already there and verifies; manifest.json written");
            } else {
                out().println("  " + o.id() + " -> " + o.destination() + ": copied " + o.objects() + " objects ("
                        + Sizes.human(o.bytes()) + ") from " + o.from() + ", read back and verified");
            }
        }
        r.distrusted().forEach(why -> err().println("caravan: " + p.name() + "/" + why + "; not used as a source"));
        r.unreachable().forEach((d, why) -> err().println("caravan: " + p.name() + "/" + d + ": not healed, cannot list it: " + why));
        r.outcomes().stream().filter(o -> !o.ok())
                .forEach(o -> err().println("caravan: " + p.name() + "/" + o.destination() + ": " + o.id() + " not healed: " + o.problem()));
    }
}
