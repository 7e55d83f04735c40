package dev.caravan.cli;

import dev.caravan.backup.BackupId;
import dev.caravan.backup.Catalog;
import dev.caravan.destination.Destination;
import dev.caravan.model.Plan;
import dev.caravan.pipeline.Engine;

import java.util.LinkedHashMap;
import java.util.Map;

/** Shared look-ups of the verbs that read what destinations hold. */
final class Backups {
    private Backups() {
    }

    /** The plan's destinations, or only {@code from} (a usage error when the plan has no such destination). */
    static Map<String, Destination> destinations(Engine engine, Plan plan, String from) {
        Map<String, Destination> all = engine.destinations(plan);
        if (from == null) {
            return all;
        }
        Destination d = all.get(from);
        if (d == null) {
            throw new PlanCommand.UsageException("plan '" + plan.name() + "' has no destination '" + from
                    + "'; destinations: " + String.join(", ", all.keySet()));
        }
        Map<String, Destination> one = new LinkedHashMap<>();
        one.put(from, d);
        return one;
    }

    /**
     * A usage error (exit 2) for text that cannot name a backup ({@code lastest}, {@code 2025-03-15}):
     * that is a wrong command line whatever the destinations hold. A well-formed id that no
     * destination holds is {@link NotFound} (exit 1): the lookup ran and found nothing.
     */
    /** {@code first}, then the other destinations in plan order: where a chunk is read from when {@code first}'s copy is bad. */
    static java.util.List<Destination> preferring(Map<String, Destination> dests, Destination first) {
        java.util.List<Destination> order = new java.util.ArrayList<>(java.util.List.of(first));
        dests.values().stream().filter(d -> d != first).forEach(order::add);
        return order;
    }

    static void checkId(String idOrLatest) {
        if (!"latest".equals(idOrLatest) && !BackupId.isId(idOrLatest)) {
            throw new PlanCommand.UsageException("'" + idOrLatest + "' is not a backup id: give 'latest' or an id such as "
                    + "20250315T143022Z (the ids are in 'caravan list')");
        }
    }

    static Catalog.Backup find(Catalog catalog, String idOrLatest) {
        checkId(idOrLatest);
        return catalog.find(idOrLatest).orElseThrow(() -> new NotFound("plan '" + catalog.plan() + "' has no "
                + ("latest".equals(idOrLatest) ? "complete backup" : "complete backup " + idOrLatest)
                + (catalog.unreachable().isEmpty() ? "" : " at the reachable destinations (unreachable: " + catalog.unreachable() + ")")));
    }

    /** A backup that is not there (exit 1). */
    static final class NotFound extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotFound(String message) {
            super(message);
        }
    }
}
