package dev.caravan.pipeline;

import dev.caravan.backup.RunReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Saves a run's {@link RunReport} beside its manifest, on every destination that takes it, through the {@link Fanout}. */
final class RunReports {
    private static final Logger LOG = LoggerFactory.getLogger(RunReports.class);

    private RunReports() {
    }

    static RunReport of(RunState run, BackupResult result) {
        Map<String, String> destinations = new LinkedHashMap<>();
        result.destinations().forEach((n, problem) -> destinations.put(n, problem == null ? RunReport.OK : problem));
        String outcome = result.ok() ? RunReport.OK : result.storedSomewhere() ? "partial" : "failed";
        return new RunReport(RunReport.FORMAT, result.plan(), result.id(), run.request.label(), run.request.note(), outcome,
                run.started.toString(), run.started.plus(result.duration()).toString(), result.duration().toMillis(),
                result.sources().stream().map(s -> new RunReport.Source(s.name(), s.object(), s.bytes(), s.dumpBytes(),
                        s.sha256(), s.error())).toList(), destinations, result.retention());
    }

    /** Best effort: a destination that cannot take the report is logged, the run's outcome does not change. */
    static void save(Fanout fanout, RunState run, RunReport report) {
        Path file = run.workDir.resolve(RunReport.FILE);
        try (OutputStream out = Files.newOutputStream(file)) {
            report.write(out);
        } catch (IOException e) {
            LOG.warn("plan '{}': report of {} not written: {}", report.plan(), report.id(), e.getMessage());
            return;
        }
        fanout.store(RunReport.key(report.plan(), report.id()), file, run.targetsHolding(n -> true), Fanout.Options.UNVERIFIED)
                .forEach((name, why) -> LOG.info("plan '{}': report of {} not saved: {}", report.plan(), report.id(), why));
    }
}
