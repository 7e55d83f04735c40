package dev.caravan.cli;

import dev.caravan.dsl.Schedules;
import dev.caravan.model.Plan;
import dev.caravan.model.Retention;
import picocli.CommandLine.Command;

import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "check", description = "Validate the plan file; print its plans, sources, destinations and next fire times.")
final class CheckCommand extends PlanCommand {
    @picocli.CommandLine.Option(names = "--properties", paramLabel = "FILE", description = "Also validate this application.properties "
            + "(default: the one beside the plan file, if there is one), as `run` reads it.")
    java.nio.file.Path properties;

    @Override
    boolean usesEngine() {
        return false;
    }

    @Override
    int execute() throws Exception {
        java.nio.file.Path props = RunCommand.propertiesFile(properties, file);
        try {
            dev.caravan.service.ServiceProperties.load(props);
        } catch (dev.caravan.service.ServiceProperties.Invalid e) {
            err().println(e.getMessage());
            return USAGE;
        } catch (java.io.IOException e) {
            err().println("caravan: cannot read " + props + ": " + dev.caravan.io.Failures.rootCause(e));
            return USAGE;
        }
        List<Map<String, Object>> report = new ArrayList<>();
        for (Plan p : config.plans()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("plan", p.name());
            m.put("schedule", p.schedule() == null ? null : p.schedule().expression());
            m.put("timezone", p.timezone().getId());
            m.put("nextFires", nextFires(p));
            m.put("sources", p.sources().stream().map(s -> s.kind() + " '" + s.name() + "'").toList());
            m.put("compression", p.compression().algorithm() + ("none".equals(p.compression().algorithm()) ? "" : " level " + p.compression().level()));
            m.put("encryption", p.encryption().enabled() ? p.encryption().describe() : List.of());
            m.put("destinations", p.destinations().stream().map(d -> d.kind() + " '" + d.name() + "'").toList());
            m.put("retention", describe(p.retention()));
            m.put("verifyAfterUpload", p.verify().afterUpload());
            report.add(m);
        }
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("file", file.toString());
            doc.put("valid", true);
            doc.put("plans", report);
            printJson(doc);
            return OK;
        }
        out().println(file + ": OK, " + config.plans().size() + " plan(s)");
        for (Map<String, Object> m : report) {
            out().println();
            out().println("plan '" + m.get("plan") + "'");
            out().println("  schedule:     " + (m.get("schedule") == null ? "none (runs with `now` only)" : m.get("schedule") + " (" + m.get("timezone") + ")"));
            @SuppressWarnings("unchecked") List<String> fires = (List<String>) m.get("nextFires");
            if (!fires.isEmpty()) {
                out().println("  next fires:   " + String.join(", ", fires));
            }
            out().println("  sources:      " + String.join(", ", strings(m.get("sources"))));
            out().println("  compression:  " + m.get("compression"));
            out().println("  encryption:   " + (strings(m.get("encryption")).isEmpty() ? "none" : "age to " + String.join(", ", strings(m.get("encryption")))));
            out().println("  destinations: " + String.join(", ", strings(m.get("destinations"))));
            out().println("  retention:    " + m.get("retention"));
            out().println("  verify:       " + ((Boolean) m.get("verifyAfterUpload") ? "read back every copy after upload" : "off"));
        }
        return OK;
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object o) {
        return (List<String>) o;
    }

    private static List<String> nextFires(Plan p) {
        List<String> fires = new ArrayList<>();
        if (p.schedule() == null) {
            return fires;
        }
        ZonedDateTime t = ZonedDateTime.now(p.timezone());
        for (int i = 0; i < 3; i++) {
            var next = Schedules.nextFire(p.schedule(), p.timezone(), t);
            if (next.isEmpty()) {
                break;
            }
            t = next.get();
            fires.add(t.toOffsetDateTime().toString());
        }
        return fires;
    }

    static String describe(Retention r) {
        if (r.keepsEverything()) {
            return "keep everything";
        }
        List<String> parts = new ArrayList<>();
        if (r.keepLast() > 0) {
            parts.add("keepLast " + r.keepLast());
        }
        if (r.hourly() > 0) {
            parts.add("hourly " + r.hourly());
        }
        if (r.daily() > 0) {
            parts.add("daily " + r.daily());
        }
        if (r.weekly() > 0) {
            parts.add("weekly " + r.weekly());
        }
        if (r.monthly() > 0) {
            parts.add("monthly " + r.monthly());
        }
        if (r.yearly() > 0) {
            parts.add("yearly " + r.yearly());
        }
        if (r.within() != null) {
            parts.add("within " + r.within());
        }
        if (r.maxTotalSizeBytes() != null) {
            parts.add("maxTotalSize " + Sizes.human(r.maxTotalSizeBytes()));
        }
        r.labels().forEach((label, rules) -> parts.add("label '" + label + "': " + describe(rules)));
        return String.join(", ", parts);
    }
}
