package dev.caravan.cli;

import dev.caravan.model.Plan;
import dev.caravan.pipeline.BackupRequest;
import dev.caravan.pipeline.BackupResult;
import dev.caravan.pipeline.Engine;
import dev.caravan.pipeline.ProgressListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

@Command(name = "now", description = "Run plans once now and wait for them; exit 1 if any source or destination failed.")
final class NowCommand extends PlanCommand {
    @Option(names = "--plan", paramLabel = "P", description = "Only this plan (default: every plan in the file).")
    String plan;

    @Option(names = "--label", paramLabel = "L", defaultValue = "manual", description = "Label kept in the manifest (default: ${DEFAULT-VALUE}).")
    String label;

    @Option(names = "--note", paramLabel = "TEXT", description = "A note kept in the manifest and shown by list.")
    String note;

    @Override
    int execute() throws Exception {
        if (!label.matches("[a-z0-9][a-z0-9_-]*")) {
            throw new UsageException("--label must match [a-z0-9][a-z0-9_-]*: '" + label + "'");
        }
        ProgressListener progress = TerminalProgress.forTerminal(err(), json);
        List<BackupResult> results = new ArrayList<>();
        try (Engine engine = engine(progress)) {
            engine.addRunListener(new dev.caravan.alert.Alerts(engine.camel(), engine.settings().stateDir(), file));
            for (Plan p : plans(plan)) {
                BackupResult r = engine.backup(p, new BackupRequest(label, note, List.of()));
                results.add(r);
                if (!json) {
                    print(r);
                }
            }
        } finally {
            if (progress instanceof TerminalProgress t) {
                t.close();
            }
        }
        if (json) {
            printJson(results);
        }
        return results.stream().allMatch(BackupResult::ok) ? OK : FAILED;
    }

    private void print(BackupResult r) {
        out().println("plan '" + r.plan() + "' backup " + r.id() + ": " + (r.ok() ? "OK" : r.storedSomewhere() ? "PARTIAL" : "FAILED")
                + " in " + Sizes.duration(r.duration()));
        for (BackupResult.SourceOutcome s : r.sources()) {
            if (s.error() != null) {
                out().println("  source " + s.name() + ": FAILED: " + s.error());
            } else {
                out().println("  source " + s.name() + ": " + s.object() + " " + Sizes.human(s.bytes())
                        + " (dump " + Sizes.human(s.dumpBytes()) + ")");
            }
        }
        for (Map.Entry<String, String> d : r.destinations().entrySet()) {
            out().println("  destination " + d.getKey() + ": " + (d.getValue() == null ? "stored and verified" : "FAILED: " + d.getValue()));
        }
        r.retention().forEach(line -> out().println("  retention " + line));
    }
}
