package dev.caravan.cli;

import dev.caravan.drill.Drill;
import dev.caravan.drill.DrillReport;
import dev.caravan.model.Plan;
import dev.caravan.pipeline.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "drill", description = "Rehearse a restore: restore the latest backup into scratch databases and directories, run the plan's drill checks, remove the scratch targets. Exit 1 on any failure.")
final class DrillCommand extends PlanCommand {
    @Option(names = "--plan", paramLabel = "P", description = "Only this plan (default: every plan in the file).")
    String plan;

    @Option(names = "--identity", paramLabel = "FILE", description = "age identity (secret key) file; default $CARAVAN_AGE_IDENTITY.")
    List<Path> identities = new ArrayList<>();

    @Override
    int execute() throws Exception {
        List<DrillReport> reports = new ArrayList<>();
        try (Engine engine = engine()) {
            for (Plan p : plans(plan)) {
                if (!json) {
                    out().println("drilling plan '" + p.name() + "'");
                }
                DrillReport r = Drill.run(engine, p, identities, line -> { });
                reports.add(r);
                if (!json) {
                    print(r);
                }
            }
        }
        if (json) {
            printJson(reports.stream().map(DrillCommand::toJson).toList());
        }
        return reports.stream().allMatch(r -> r.passed() && !r.rtoMissed()) ? OK : FAILED;
    }

    private void print(DrillReport r) {
        if (r.error() != null) {
            out().println("  FAILED: " + r.error());
            return;
        }
        out().println("  backup " + r.backupId());
        for (DrillReport.SourceResult s : r.sources()) {
            if (s.error() != null) {
                out().println("  " + s.source() + ": FAILED from " + s.destination() + ": " + s.error());
            }
            if (s.restoreTime() == null) {
                continue;
            }
            String head = "  " + s.source() + ": restored in " + Sizes.duration(s.restoreTime()) + " from " + s.destination();
            if (s.checks().isEmpty()) {
                out().println(head + (s.error() == null ? " (no checks)" : ""));
            }
            for (DrillReport.CheckResult c : s.checks()) {
                out().println(head + ": check '" + c.check() + "' = " + (c.actual() == null ? "?" : c.actual())
                        + " (" + c.expected() + ") " + (c.passed() ? "PASS" : "FAIL") + (c.error() == null ? "" : ": " + c.error()));
            }
        }
        if (r.rto() != null && r.restoreTime() != null) {
            out().println("  restore took " + Sizes.duration(r.restoreTime()) + ", RTO " + Sizes.duration(r.rto())
                    + (r.rtoMissed() ? ": RTO MISSED" : ": within the RTO"));
        }
        out().println("  drill " + (!r.passed() ? "FAILED" : r.rtoMissed() ? "FAILED (slower than its RTO)" : "passed"));
    }

    private static Map<String, Object> toJson(DrillReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("plan", r.plan());
        m.put("backup", r.backupId());
        m.put("started", r.started().toString());
        m.put("passed", r.passed());
        m.put("status", r.status());
        m.put("restoreSeconds", r.restoreTime() == null ? null : r.restoreTime().toNanos() / 1e9);
        m.put("rtoSeconds", r.rto() == null ? null : r.rto().toSeconds());
        m.put("error", r.error());
        List<Map<String, Object>> sources = new ArrayList<>();
        for (DrillReport.SourceResult s : r.sources()) {
            Map<String, Object> sm = new LinkedHashMap<>();
            sm.put("source", s.source());
            sm.put("destination", s.destination());
            sm.put("restoreSeconds", s.restoreTime() == null ? null : s.restoreTime().toMillis() / 1000.0);
            sm.put("passed", s.passed());
            sm.put("error", s.error());
            List<Map<String, Object>> checks = new ArrayList<>();
            for (DrillReport.CheckResult c : s.checks()) {
                Map<String, Object> cm = new LinkedHashMap<>();
                cm.put("check", c.check());
                cm.put("expected", c.expected());
                cm.put("actual", c.actual());
                cm.put("passed", c.passed());
                cm.put("error", c.error());
                checks.add(cm);
            }
            sm.put("checks", checks);
            sources.add(sm);
        }
        m.put("sources", sources);
        return m;
    }
}
