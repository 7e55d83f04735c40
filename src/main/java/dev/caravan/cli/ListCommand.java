package dev.caravan.cli;

import dev.caravan.backup.Catalog;
import dev.caravan.model.Plan;
import dev.caravan.pipeline.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "list", description = "List complete backups: id, plan, time, size, label, and which destinations hold a verified copy.")
final class ListCommand extends PlanCommand {
    @Option(names = "--plan", paramLabel = "P", description = "Only this plan.")
    String plan;

    @Option(names = "--from", paramLabel = "D", description = "Only this destination.")
    String from;

    @Override
    int execute() throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        Map<String, String> unreachable = new LinkedHashMap<>();
        try (Engine engine = engine()) {
            for (Plan p : plans(plan)) {
                Catalog c = Catalog.scan(p.name(), Backups.destinations(engine, p, from));
                c.unreachable().forEach((d, why) -> unreachable.put(p.name() + "/" + d, why));
                for (Catalog.Backup b : c.backups()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("id", b.id());
                    row.put("plan", p.name());
                    row.put("time", b.manifest().started());
                    row.put("bytes", b.size());
                    row.put("label", b.manifest().label());
                    row.put("note", b.manifest().note());
                    row.put("destinations", b.destinations());
                    if (b.manifest().chunked()) {
                        row.put("logicalBytes", b.manifest().logicalBytes());
                        row.put("newBytes", b.manifest().objects().stream()
                                .mapToLong(e -> e.chunked() ? e.newBytes() == null ? 0 : e.newBytes() : e.bytes()).sum());
                    }
                    rows.add(row);
                }
            }
        }
        if (json) {
            printJson(Map.of("backups", rows, "unreachable", unreachable));
        } else {
            out().printf("%-17s %-12s %-25s %10s %-12s %s%n", "ID", "PLAN", "TIME", "SIZE", "LABEL", "VERIFIED COPIES AT");
            for (Map<String, Object> r : rows) {
                out().printf("%-17s %-12s %-25s %10s %-12s %s%s%s%n", r.get("id"), r.get("plan"), r.get("time"),
                        Sizes.human((Long) r.get("bytes")), r.get("label"), String.join(",", castList(r.get("destinations"))),
                        r.get("note") == null ? "" : "  \"" + r.get("note") + "\"",
                        r.containsKey("newBytes") ? "  dedup: logical " + Sizes.human((Long) r.get("logicalBytes")) + ", new "
                                + Sizes.human((Long) r.get("newBytes")) : "");
            }
            unreachable.forEach((d, why) -> err().println("caravan: cannot list " + d + ": " + why));
        }
        return unreachable.isEmpty() ? OK : FAILED;
    }

    @SuppressWarnings("unchecked")
    private static List<String> castList(Object o) {
        return (List<String>) o;
    }
}
