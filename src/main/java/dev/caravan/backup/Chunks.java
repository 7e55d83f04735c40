package dev.caravan.backup;

import dev.caravan.destination.Destination;

import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** What a deduplicated plan's chunk folder ({@code <plan>/chunks/}) at one destination holds, and what its backups need. */
public final class Chunks {
    private Chunks() {
    }

    /** The chunks a destination holds, by name, with their stored size: one listing. */
    public static Map<String, Long> held(Destination d, String plan) throws IOException {
        String prefix = Layout.chunkPrefix(plan);
        Map<String, Long> held = new HashMap<>();
        for (Destination.StoredObject o : d.list(prefix)) {
            held.put(o.key().substring(prefix.length()), o.size());
        }
        return held;
    }

    /** Every chunk the objects of these manifests name. */
    public static Set<String> needed(Collection<Manifest> manifests) {
        Set<String> needed = new HashSet<>();
        for (Manifest m : manifests) {
            for (Manifest.Entry e : m.objects()) {
                if (e.chunked()) {
                    needed.addAll(e.chunks());
                }
            }
        }
        return needed;
    }

    /**
     * Empty when {@code held} has every chunk of {@code e}; otherwise one sentence naming the destination,
     * the backup and the first missing chunk.
     */
    public static Optional<String> missing(String destination, String id, Manifest.Entry e, Map<String, Long> held) {
        List<String> gone = e.chunks().stream().filter(c -> !held.containsKey(c)).distinct().toList();
        if (gone.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(destination + ": backup " + id + " (" + e.source() + ") needs chunk " + gone.get(0)
                + ", which is missing" + (gone.size() > 1 ? " (and " + (gone.size() - 1) + " more)" : ""));
    }
}
