package dev.caravan.backup;

import dev.caravan.retention.BackupRef;
import dev.caravan.retention.Decision;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Retention never removes a backup that a kept incremental needs: every ancestor of a kept backup
 * (its parent, the parent's parent, ..., the chain's full) that retention would prune is kept
 * instead, with the reason {@code needed by <id>} (the newest kept backup that needs it).
 */
public final class ChainGuard {
    private ChainGuard() {
    }

    public static Decision keepNeeded(Decision decision, List<Catalog.Backup> held) {
        Map<String, Catalog.Backup> byId = new LinkedHashMap<>();
        held.forEach(b -> byId.put(b.id(), b));
        Map<String, BackupRef> pruned = new LinkedHashMap<>();
        decision.prune().forEach(r -> pruned.put(r.id(), r));
        List<Decision.Kept> kept = new ArrayList<>(decision.kept());
        for (Decision.Kept k : decision.kept()) {
            Catalog.Backup b = byId.get(k.backup().id());
            if (b == null) {
                continue;
            }
            for (String ancestor : Chain.ancestors(b, byId)) {
                BackupRef saved = pruned.remove(ancestor);
                if (saved != null) {
                    kept.add(new Decision.Kept(saved, List.of("needed by " + b.id())));
                }
            }
        }
        if (pruned.size() == decision.prune().size()) {
            return decision;
        }
        kept.sort(Comparator.comparing((Decision.Kept x) -> x.backup().time()).thenComparing(x -> x.backup().id()).reversed());
        return new Decision(kept, new ArrayList<>(pruned.values()), decision.pruneReasons());
    }
}
