package dev.caravan.backup;

import dev.caravan.destination.Destination;
import dev.caravan.io.Sha256;
import dev.caravan.verify.CopyCheck;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Heals what an outage left missing: for every complete backup of a plan and every destination that
 * lacks a complete copy, copies the objects from a destination whose copy verifies, reads each copy
 * back, and publishes manifest.json last, so the healed copy only counts once it is whole. One object at
 * a time moves through a spool file in the work dir; nothing is held in memory. The caller holds the
 * plan's lock.
 */
public final class Replicator {
    /**
     * The write path (the pipeline's fan-out): stores {@code file} under {@code key} at each of {@code destinations}
     * at once, through their Camel routes, and reads each copy back against {@code bytes} and {@code sha256};
     * returns the failures by destination, one sentence each (empty: every copy good).
     */
    @FunctionalInterface
    public interface Upload {
        Map<String, String> store(List<String> destinations, String key, Path file, long bytes, String sha256);
    }

    /**
     * What happened to one backup at one destination that lacked it.
     *
     * @param from    the destination the objects were copied from (null when none verified)
     * @param objects objects copied (objects already there and verifying are not copied again)
     * @param bytes   bytes copied
     * @param problem null when healed (or, in a dry run, healable); otherwise one sentence
     */
    public record Outcome(String id, String destination, String from, int objects, long bytes, String problem) {
        public boolean ok() {
            return problem == null;
        }
    }

    /**
     * Every outcome, plus destinations that could not be listed at all (nothing was tried there), and one
     * sentence for each holder not used as a source because its own manifest.json is damaged or disagrees
     * with the others' ({@link ManifestAgreement#judge}).
     */
    public record Report(List<Outcome> outcomes, Map<String, String> unreachable, List<String> distrusted) {
        public boolean ok() {
            return unreachable.isEmpty() && outcomes.stream().allMatch(Outcome::ok);
        }
    }

    private final String plan;
    private final Map<String, Destination> destinations;
    private final Upload upload;
    private final Path spoolDir;
    /** Per destination, the chunks it holds (a deduplicated plan), listed once per replicate. */
    private final Map<String, Map<String, Long>> chunkListings = new java.util.HashMap<>();

    /**
     * @param destinations the plan's destinations in plan order (copies are taken from the first that verifies)
     * @param spoolDir     a private directory for the spool file; created, and removed when done
     */
    public Replicator(String plan, Map<String, Destination> destinations, Upload upload, Path spoolDir) {
        this.plan = plan;
        this.destinations = destinations;
        this.upload = upload;
        this.spoolDir = spoolDir;
    }

    public Report replicate(boolean dryRun) throws IOException {
        Catalog catalog = Catalog.scan(plan, destinations);
        List<Outcome> outcomes = new ArrayList<>();
        List<String> distrusted = new ArrayList<>();
        Files.createDirectories(spoolDir);
        try {
            List<Catalog.Backup> oldestFirst = new ArrayList<>(catalog.backups());
            java.util.Collections.reverse(oldestFirst);
            for (Catalog.Backup b : oldestFirst) {
                List<String> missing = destinations.keySet().stream()
                        .filter(d -> !b.destinations().contains(d) && !catalog.unreachable().containsKey(d)).toList();
                if (missing.isEmpty()) {
                    continue;
                }
                // each holder is judged by its own manifest: one that was changed is no source, and is named
                ManifestAgreement.Trust trust = ManifestAgreement.judge(catalog, b, (d, m) ->
                        ManifestAgreement.firstBadCopy(destinations.get(d), plan, b.id(), m.objects(), chunkListings));
                trust.distrusted().values().forEach(distrusted::add);
                if (trust.manifest().isEmpty()) {
                    missing.forEach(d -> outcomes.add(new Outcome(b.id(), d, null, 0, 0,
                            "no holder's manifest.json of " + b.id() + " can be trusted (see above)")));
                } else if (dryRun) {
                    Manifest m = trust.manifest().get();
                    missing.forEach(d -> outcomes.add(new Outcome(b.id(), d, trust.trusted().keySet().iterator().next(),
                            m.objects().size(), m.totalBytes(), null)));
                } else {
                    outcomes.addAll(heal(b, trust.manifest().get(), List.copyOf(trust.trusted().keySet()), missing));
                }
            }
        } finally {
            deleteTree(spoolDir);
        }
        return new Report(outcomes, catalog.unreachable(), distrusted);
    }

    /**
     * Copies one backup to the destinations that lack it: objects first, each read back, then the manifest.
     *
     * @param m       the manifest the trusted holders agree on; every copy is checked against it
     * @param holders the trusted holders, in plan order: the only sources of objects and of manifest.json
     */
    private List<Outcome> heal(Catalog.Backup b, Manifest m, List<String> holders, List<String> targets) {
        Map<String, String> problems = new LinkedHashMap<>();
        Map<String, Integer> objects = new LinkedHashMap<>();
        Map<String, Long> bytes = new LinkedHashMap<>();
        String usedFrom = null;
        for (Manifest.Entry e : m.objects()) {
            if (e.chunked()) {
                healChunks(b, e, targets, problems, objects, bytes);
                continue;
            }
            String key = Layout.object(plan, b.id(), e.object());
            List<String> need = targets.stream().filter(t -> !problems.containsKey(t))
                    .filter(t -> CopyCheck.check(destinations.get(t), key, e.bytes(), e.sha256()).isPresent()).toList();
            if (need.isEmpty()) {
                continue;
            }
            Path spool = spoolDir.resolve(e.object());
            StringBuilder skipped = new StringBuilder();
            Optional<String> from = fetch(holders, key, e, spool, skipped);
            if (from.isEmpty()) {
                need.forEach(t -> problems.put(t, "no destination holds a copy of " + e.object() + " that verifies" + skipped));
                continue;
            }
            usedFrom = from.get();
            Map<String, String> failed = upload.store(need, key, spool, e.bytes(), e.sha256());
            for (String t : need) {
                if (failed.containsKey(t)) {
                    problems.put(t, failed.get(t));
                } else {
                    objects.merge(t, 1, Integer::sum);
                    bytes.merge(t, e.bytes(), Long::sum);
                }
            }
            deleteQuietly(spool);
        }
        publishManifests(b, m, holders, targets, problems);
        List<Outcome> out = new ArrayList<>();
        for (String t : targets) {
            out.add(new Outcome(b.id(), t, usedFrom, objects.getOrDefault(t, 0), bytes.getOrDefault(t, 0L), problems.get(t)));
        }
        return out;
    }

    /**
     * A deduplicated object: copies each chunk it needs that a target lacks, byte for byte, from the first
     * destination that holds it, and reads each copy back. A chunk is checked against its name when it
     * is read (restore, {@code verify --deep}); here a holder's chunk is copied as it is.
     */
    private void healChunks(Catalog.Backup b, Manifest.Entry e, List<String> targets, Map<String, String> problems,
                            Map<String, Integer> objects, Map<String, Long> bytes) {
        for (String c : new java.util.LinkedHashSet<>(e.chunks())) {
            List<String> need = new ArrayList<>();
            for (String t : targets) {
                if (problems.containsKey(t)) {
                    continue;
                }
                try {
                    if (!chunksAt(t).containsKey(c)) {
                        need.add(t);
                    }
                } catch (IOException | RuntimeException x) {
                    problems.put(t, destinations.get(t).sentence(x));
                }
            }
            if (need.isEmpty()) {
                continue;
            }
            String key = Layout.chunk(plan, c);
            Path spool = spoolDir.resolve("chunk");
            String from = null;
            for (String holder : destinations.keySet()) {
                try {
                    if (chunksAt(holder).containsKey(c)) {
                        try (InputStream in = destinations.get(holder).open(key)) {
                            Files.copy(in, spool, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                        }
                        from = holder;
                        break;
                    }
                } catch (IOException | RuntimeException x) {
                    // the next holder may serve it
                }
            }
            if (from == null) {
                need.forEach(t -> problems.put(t, "no destination holds chunk " + c + " of backup " + b.id() + " (" + e.source() + ")"));
                continue;
            }
            Sha256.Result sum;
            try (InputStream in = Files.newInputStream(spool)) {
                sum = Sha256.of(in);
            } catch (IOException x) {
                need.forEach(t -> problems.put(t, "cannot read the spooled chunk " + c + ": " + x.getMessage()));
                continue;
            }
            Map<String, String> failed = upload.store(need, key, spool, sum.bytes(), sum.sha256());
            for (String t : need) {
                if (failed.containsKey(t)) {
                    problems.put(t, failed.get(t));
                } else {
                    chunkListings.get(t).put(c, sum.bytes());
                    objects.merge(t, 1, Integer::sum);
                    bytes.merge(t, sum.bytes(), Long::sum);
                }
            }
            deleteQuietly(spool);
        }
    }

    private Map<String, Long> chunksAt(String destination) throws IOException {
        Map<String, Long> held = chunkListings.get(destination);
        if (held == null) {
            held = Chunks.held(destinations.get(destination), plan);
            chunkListings.put(destination, held);
        }
        return held;
    }

    /**
     * Streams the object from the first holder whose copy matches the manifest into {@code spool}, hashing
     * as it goes (one read serves as both the check and the copy). Holders that do not verify are noted.
     */
    private Optional<String> fetch(List<String> holders, String key, Manifest.Entry e, Path spool, StringBuilder skipped) {
        for (String holder : holders) {
            MessageDigest md = Sha256.digest();
            long n;
            try (InputStream in = destinations.get(holder).open(key);
                 OutputStream out = new DigestOutputStream(Files.newOutputStream(spool), md)) {
                n = in.transferTo(out);
            } catch (IOException | RuntimeException ex) {
                skipped.append("; ").append(holder).append(": cannot read ").append(key).append(": ").append(ex.getMessage());
                continue;
            }
            String sha = Sha256.hex(md);
            if (n == e.bytes() && sha.equals(e.sha256())) {
                return Optional.of(holder);
            }
            skipped.append("; ").append(holder).append(": ").append(key).append(n != e.bytes()
                    ? " has " + n + " bytes, expected " + e.bytes() : " checksum mismatch (SHA-256 " + sha + ", expected " + e.sha256() + ")");
        }
        deleteQuietly(spool);
        return Optional.empty();
    }

    /**
     * manifest.json, copied byte for byte from a trusted holder (one that still reads as {@code m}, the manifest
     * the copied objects were checked against), to every target that now holds every object.
     */
    private void publishManifests(Catalog.Backup b, Manifest m, List<String> holders, List<String> targets, Map<String, String> problems) {
        List<String> ready = targets.stream().filter(t -> !problems.containsKey(t)).toList();
        if (ready.isEmpty()) {
            return;
        }
        String key = Layout.manifest(plan, b.id());
        Path spool = spoolDir.resolve(Layout.MANIFEST);
        IOException last = null;
        for (String holder : holders) {
            try (InputStream in = destinations.get(holder).open(key)) {
                Files.copy(in, spool, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                try (InputStream copy = Files.newInputStream(spool)) {
                    if (!Manifest.read(copy).equals(m)) {
                        throw new IOException(holder + "'s manifest.json changed while it was copied");
                    }
                }
                last = null;
                break;
            } catch (IOException ex) {
                last = ex;
            }
        }
        if (last != null) {
            for (String t : ready) {
                problems.put(t, "cannot read manifest.json of " + b.id() + " from any holder: " + last.getMessage());
            }
            return;
        }
        Sha256.Result sum;
        try (InputStream in = Files.newInputStream(spool)) {
            sum = Sha256.of(in);
        } catch (IOException ex) {
            ready.forEach(t -> problems.put(t, "cannot read the copy of manifest.json of " + b.id() + ": " + ex.getMessage()));
            return;
        }
        problems.putAll(upload.store(ready, key, spool, sum.bytes(), sum.sha256()));
        deleteQuietly(spool);
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // removed with the spool dir
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
