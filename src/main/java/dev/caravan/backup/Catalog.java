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
    private final List<Damaged> damaged = new ArrayList<>();
    private final Map<String, Manifest> manifests = new java.util.HashMap<>();
    private final Map<String, Destination> scanned = new LinkedHashMap<>();
    private final Map<String, Long> chunkBytes = new java.util.HashMap<>();

    /** One backup with the destinations that hold a complete (manifest-bearing) copy. */
    public record Backup(String id, Manifest manifest, List<String> destinations) {
        public long size() {
            return manifest.totalBytes();
        }
    }

    /**
     * What runs that died left in one backup folder at one destination: every object of a folder with
     * no manifest ({@code keys}; empty when {@code hasManifest}), and the partial objects of writes that
     * died ({@code partials}, see {@link Destination#listPartial}; only when scanned {@link #withLeftovers}).
     */
    public record Incomplete(String destination, String id, List<String> keys, List<String> partials, boolean hasManifest) {
        public Incomplete(String destination, String id, List<String> keys) {
            this(destination, id, keys, List.of(), false);
        }

        /** {@code incomplete backup 20250101T000000Z (3 objects and 1 partial object, no manifest)}. */
        public String describe() {
            List<String> parts = new ArrayList<>();
            if (!keys.isEmpty()) {
                parts.add(keys.size() + " object" + (keys.size() == 1 ? "" : "s"));
            }
            if (!partials.isEmpty()) {
                parts.add(partials.size() + " partial object" + (partials.size() == 1 ? "" : "s"));
            }
            return hasManifest ? "partial objects of backup " + id + " (" + partials.size() + ", left by writes that died)"
                    : "incomplete backup " + id + " (" + String.join(" and ", parts) + ", no manifest)";
        }
    }

    /** A backup folder whose manifest.json is there but damaged (does not parse): it does not count at that destination. */
    public record Damaged(String destination, String id, String problem) {
    }

    private Catalog(String plan) {
        this.plan = plan;
    }

    /** Lists every destination; a destination that cannot be listed is recorded in {@link #unreachable()}. */
    public static Catalog scan(String plan, Map<String, Destination> destinations) {
        return scan(plan, destinations, false);
    }

    /**
     * As {@link #scan}, and also lists the partial objects of writes that died at each destination
     * ({@link Destination#listPartial}: a second listing, which only retention and {@code status} need).
     */
    public static Catalog withLeftovers(String plan, Map<String, Destination> destinations) {
        return scan(plan, destinations, true);
    }

    private static Catalog scan(String plan, Map<String, Destination> destinations, boolean leftovers) {
        Catalog c = new Catalog(plan);
        c.scanned.putAll(destinations);
        destinations.forEach((name, d) -> {
            try {
                c.add(name, d, leftovers);
            } catch (IOException | RuntimeException e) {
                c.unreachable.put(name, d.sentence(e));
            }
        });
        return c;
    }

    private void add(String name, Destination d, boolean leftovers) throws IOException {
        Map<String, List<String>> byId = new TreeMap<>();
        String chunks = Layout.chunkPrefix(plan);
        for (Destination.StoredObject o : d.list(Layout.planPrefix(plan))) {
            if (o.key().startsWith(chunks)) {
                chunkBytes.merge(name, o.size(), Long::sum);
                continue;
            }
            String id = Layout.idOf(plan, o.key());
            if (id != null) {
                byId.computeIfAbsent(id, k -> new ArrayList<>()).add(o.key());
            }
        }
        // only under backup ids: partial WAL segments belong to a wal-push, which runs without the plan lock
        Map<String, List<String>> partialById = new TreeMap<>();
        if (leftovers) {
            for (Destination.StoredObject o : d.listPartial(Layout.planPrefix(plan))) {
                String id = Layout.idOf(plan, o.key());
                if (id != null) {
                    partialById.computeIfAbsent(id, k -> new ArrayList<>()).add(o.key());
                    byId.computeIfAbsent(id, k -> new ArrayList<>());
                }
            }
        }
        for (Map.Entry<String, List<String>> e : byId.entrySet()) {
            String id = e.getKey();
            List<String> partials = partialById.getOrDefault(id, List.of());
            if (!e.getValue().contains(Layout.manifest(plan, id))) {
                incomplete.add(new Incomplete(name, id, List.copyOf(e.getValue()), List.copyOf(partials), false));
                continue;
            }
            if (!partials.isEmpty()) {
                incomplete.add(new Incomplete(name, id, List.of(), List.copyOf(partials), true));
            }
            Backup known = backups.get(id);
            Manifest m;
            try {
                m = known != null ? known.manifest() : manifestAt(d, name, id);
            } catch (Manifest.Unreadable bad) {
                // this copy does not count; another destination's manifest may still be good
                damaged.add(new Damaged(name, id, bad.getMessage()));
                continue;
            }
            List<String> holders = new ArrayList<>(known != null ? known.destinations() : List.of());
            holders.add(name);
            backups.put(id, new Backup(id, m, List.copyOf(holders)));
        }
    }

    /** The manifest of backup {@code id} at {@code name}, read once. */
    private Manifest manifestAt(Destination d, String name, String id) throws IOException {
        String k = name + "\0" + id;
        Manifest m = manifests.get(k);
        if (m == null) {
            m = readManifest(d, id);
            manifests.put(k, m);
        }
        return m;
    }

    /**
     * The manifest of backup {@code id} as {@code destination} holds it. {@link Backup#manifest()} is the
     * first holder's; every copy is judged by its own destination's manifest, since one of them may have
     * been damaged. Read from the destination the first time it is asked for (a {@link Manifest.Unreadable}
     * when it no longer parses).
     */
    public Manifest manifestAt(String id, String destination) throws IOException {
        Destination d = scanned.get(destination);
        if (d == null) {
            throw new IllegalArgumentException("no destination '" + destination + "' in this catalog");
        }
        return manifestAt(d, destination, id);
    }

    private Manifest readManifest(Destination d, String id) throws IOException {
        try (InputStream in = d.open(Layout.manifest(plan, id))) {
            return Manifest.read(in);
        }
    }

    /** Stored bytes of the plan's chunks ({@code dedup true}) at a destination; 0 without any. */
    public long chunkBytesAt(String destination) {
        return chunkBytes.getOrDefault(destination, 0L);
    }

    /**
     * What the backups at a destination take there: their objects stored whole, plus the chunk folder
     * (shared by the deduplicated ones).
     */
    public long storedBytesAt(String destination) {
        long whole = 0;
        for (Backup b : backupsAt(destination)) {
            whole += b.manifest().objects().stream().filter(e -> !e.chunked())
                    .mapToLong(e -> e.bytes() + (e.indexBytes() == null ? 0 : e.indexBytes())).sum();
        }
        return whole + chunkBytesAt(destination);
    }

    /** The dumps' total size of the backups at a destination, before compression, encryption and dedup. */
    public long logicalBytesAt(String destination) {
        return backupsAt(destination).stream().mapToLong(b -> b.manifest().logicalBytes()).sum();
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

    /** Backup folders whose manifest is damaged, per destination. */
    public List<Damaged> damaged() {
        return List.copyOf(damaged);
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
