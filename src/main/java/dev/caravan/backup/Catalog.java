package dev.caravan.backup;

import dev.caravan.destination.Destination;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the destinations of one plan hold. A backup counts at a destination only when its
 * manifest is there; folders without one are incomplete (a run in flight, or one that died).
 */
public final class Catalog {
    private final String plan;
    private final Map<String, Backup> backups = new TreeMap<>(Comparator.reverseOrder());
    private final List<Incomplete> incomplete = new ArrayList<>();
    private final Map<String, String> unreachable = new LinkedHashMap<>();

    /** One backup with the destinations that hold a complete (manifest-bearing) copy. */
    public record Backup(String id, Manifest manifest, List<String> destinations) {
        public long size() {
            return manifest.totalBytes();
        }
    }

    /** Objects of a backup folder with no manifest at one destination. */
    public record Incomplete(String destination, String id, List<String> keys) {
    }

    private Catalog(String plan) {
        this.plan = plan;
    }

    /** Lists every destination; a destination that cannot be listed is recorded in {@link #unreachable()}. */
    public static Catalog scan(String plan, Map<String, Destination> destinations) {
        Catalog c = new Catalog(plan);
        destinations.forEach((name, d) -> {
            try {
                c.add(name, d);
            } catch (IOException | RuntimeException e) {
                c.unreachable.put(name, d.sentence(e));
            }
        });
        return c;
    }

    private void add(String name, Destination d) throws IOException {
        Map<String, List<String>> byId = new TreeMap<>();
        for (Destination.StoredObject o : d.list(Layout.planPrefix(plan))) {
            String id = Layout.idOf(plan, o.key());
            if (id != null) {
                byId.computeIfAbsent(id, k -> new ArrayList<>()).add(o.key());
            }
        }
        for (Map.Entry<String, List<String>> e : byId.entrySet()) {
            String id = e.getKey();
            if (!e.getValue().contains(Layout.manifest(plan, id))) {
                incomplete.add(new Incomplete(name, id, e.getValue()));
                continue;
            }
            Backup known = backups.get(id);
            Manifest m = known != null ? known.manifest() : readManifest(d, id);
            List<String> holders = new ArrayList<>(known != null ? known.destinations() : List.of());
            holders.add(name);
            backups.put(id, new Backup(id, m, List.copyOf(holders)));
        }
    }

    private Manifest readManifest(Destination d, String id) throws IOException {
        try (InputStream in = d.open(Layout.manifest(plan, id))) {
            return Manifest.read(in);
        }
    }

    public String plan() {
        return plan;
    }

    /** Complete backups, newest first. */
    public List<Backup> backups() {
        return List.copyOf(backups.values());
    }

    /** Complete backups held by one destination, newest first. */
    public List<Backup> backupsAt(String destination) {
        return backups.values().stream().filter(b -> b.destinations().contains(destination)).toList();
    }

    public Optional<Backup> find(String idOrLatest) {
        if ("latest".equals(idOrLatest)) {
            return backups.values().stream().findFirst();
        }
        return Optional.ofNullable(backups.get(idOrLatest));
    }

    public List<Incomplete> incomplete() {
        return List.copyOf(incomplete);
    }

    /** Destinations that could not be listed, with the reason. */
    public Map<String, String> unreachable() {
        return Map.copyOf(unreachable);
    }

    /** Every id seen anywhere, complete or not (a new run must not reuse one). */
    public TreeSet<String> allIds() {
        TreeSet<String> ids = new TreeSet<>(backups.keySet());
        incomplete.forEach(i -> ids.add(i.id()));
        return ids;
    }
}
