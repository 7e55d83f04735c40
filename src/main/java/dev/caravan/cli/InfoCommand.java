package dev.caravan.cli;

import dev.caravan.backup.Catalog;
import dev.caravan.backup.Manifest;
import dev.caravan.model.Plan;
import dev.caravan.pipeline.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.Map;

@Command(name = "info", description = "Show the manifest of one backup.")
final class InfoCommand extends PlanCommand {
    @Parameters(index = "1", paramLabel = "ID", description = "A backup id, or 'latest'.")
    String id;

    @Option(names = "--plan", paramLabel = "P", description = "The plan (needed when the file has several).")
    String plan;

    @Option(names = "--from", paramLabel = "D", description = "Only look at this destination.")
    String from;

    @Override
    int execute() throws Exception {
        Plan p = onePlan(plan);
        try (Engine engine = engine()) {
            Catalog c = Catalog.scan(p.name(), Backups.destinations(engine, p, from));
            Catalog.Backup b;
            try {
                b = Backups.find(c, id);
            } catch (Backups.NotFound e) {
                err().println("caravan: " + e.getMessage());
                return FAILED;
            }
            Manifest m = b.manifest();
            if (json) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("manifest", m);
                doc.put("destinations", b.destinations());
                printJson(doc);
                return OK;
            }
            out().println("backup " + m.id() + " of plan '" + m.plan() + "' (" + m.type() + ", label " + m.label() + ")");
            if (m.note() != null) {
                out().println("  note:        " + m.note());
            }
            out().println("  started:     " + m.started());
            out().println("  finished:    " + m.finished());
            out().println("  compression: " + m.compression());
            out().println("  encryption:  " + m.encryption() + (m.recipients() == null || m.recipients().isEmpty() ? "" : " " + m.recipients()));
            out().println("  size:        " + Sizes.human(m.totalBytes()));
            out().println("  copies at:   " + String.join(", ", b.destinations()));
            for (Manifest.Entry e : m.objects()) {
                out().println("  " + e.source() + " (" + e.type() + ", " + e.tool() + ")");
                if (e.chunked()) {
                    long fresh = e.newBytes() == null ? 0 : e.newBytes();
                    out().println("    " + e.object() + " as " + e.chunks().size() + " chunks under " + m.plan() + "/chunks/: logical "
                            + Sizes.human(e.dumpBytes()) + ", stored " + Sizes.human(e.bytes()) + ", new " + Sizes.human(fresh)
                            + (fresh > 0 ? " (dedup ratio " + Sizes.ratio(e.dumpBytes(), fresh) + "x)" : " (every chunk was already stored)")
                            + "  sha256 of the dump " + e.sha256());
                    continue;
                }
                out().println("    object " + e.object() + "  " + e.bytes() + " bytes  sha256 " + e.sha256()
                        + "  (dump " + Sizes.human(e.dumpBytes()) + ")");
            }
        }
        return OK;
    }
}
