package dev.caravan.cli;

import dev.caravan.backup.Catalog;
import dev.caravan.backup.Chain;
import dev.caravan.backup.Layout;
import dev.caravan.backup.Manifest;
import dev.caravan.backup.ManifestAgreement;
import dev.caravan.backup.Unpacker;
import dev.caravan.destination.Destination;
import dev.caravan.io.Failures;
import dev.caravan.io.Sha256;
import dev.caravan.model.Plan;
import dev.caravan.pipeline.Engine;
import dev.caravan.source.IncrementalSource;
import dev.caravan.source.Source;
import dev.caravan.verify.CopyCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@Command(name = "verify", description = "Re-read stored copies and compare sizes and SHA-256; --deep also decrypts, decompresses and reads each dump through. Exit 1 names every bad copy.")
final class VerifyCommand extends PlanCommand {
    @Parameters(index = "1", arity = "0..1", paramLabel = "ID|latest|all", defaultValue = "latest", description = "Which backups (default: ${DEFAULT-VALUE}).")
    String which;

    @Option(names = "--plan", paramLabel = "P", description = "Only this plan.")
    String plan;

    @Option(names = "--from", paramLabel = "D", description = "Only this destination.")
    String from;

    @Option(names = "--deep", description = "Also decrypt, decompress and read every dump through.")
    boolean deep;

    @Option(names = "--identity", paramLabel = "FILE", description = "age identity (secret key) file for --deep; default $CARAVAN_AGE_IDENTITY.")
    List<Path> identities = new ArrayList<>();

    @Override
    int execute() throws Exception {
        List<Map<String, Object>> results = new ArrayList<>();
        int bad = 0;
        try (Engine engine = engine()) {
            for (Plan p : plans(plan)) {
                Map<String, Destination> dests = Backups.destinations(engine, p, from);
                Catalog c = Catalog.scan(p.name(), dests);
                for (Map.Entry<String, String> u : c.unreachable().entrySet()) {
                    bad++;
                    results.add(result(p.name(), null, u.getKey(), null, "unreachable: " + u.getValue()));
                }
                List<Catalog.Backup> selected = "all".equals(which) ? c.backups() : c.find(which).map(List::of).orElse(List.of());
                if (selected.isEmpty() && !"all".equals(which)) {
                    bad++;
                    results.add(result(p.name(), which, from, null, "no complete backup " + which));
                }
                Unpacker unpacker = new Unpacker(identities, p.encryption());
                Map<String, Map<String, Long>> heldChunks = new java.util.HashMap<>();
                Map<String, Catalog.Backup> withChains = new java.util.TreeMap<>();
                for (Catalog.Backup b : selected) {
                    withChains.put(b.id(), b);
                    for (String d : b.destinations()) {
                        try {
                            Chain.of(b, id -> c.backupsAt(d).stream().filter(x -> x.id().equals(id)).findFirst().orElse(null))
                                    .forEach(link -> withChains.put(link.id(), link));
                        } catch (Chain.Broken e) {
                            bad++;
                            results.add(result(p.name(), b.id(), d, null, e.getMessage()));
                        }
                    }
                }
                for (Catalog.Damaged dm : c.damaged()) {
                    // a damaged manifest of the backup asked for, or of one newer than the latest that counts
                    boolean asked = "all".equals(which) || dm.id().equals(which) || withChains.containsKey(dm.id())
                            || ("latest".equals(which) && (selected.isEmpty() || dm.id().compareTo(selected.get(0).id()) > 0));
                    if (asked) {
                        bad++;
                        results.add(result(p.name(), dm.id(), dm.destination(), Layout.MANIFEST, dm.destination()
                                + ": manifest.json of " + dm.id() + " is damaged (" + dm.problem() + "); the copy does not count there"));
                    }
                }
                for (Catalog.Backup b : withChains.values()) {
                    Map<String, Manifest> manifests = new LinkedHashMap<>();
                    Map<String, Integer> badCopies = new LinkedHashMap<>();
                    for (String d : b.destinations()) {
                        Manifest m;
                        try {
                            m = c.manifestAt(b.id(), d);
                        } catch (java.io.IOException | RuntimeException e) {
                            bad++;
                            results.add(result(p.name(), b.id(), d, Layout.MANIFEST, d + ": cannot read manifest.json of " + b.id() + ": " + Failures.rootCause(e)));
                            continue;
                        }
                        manifests.put(d, m);
                        int before = bad;
                        // each copy is judged by its own destination's manifest: a damaged one elsewhere says nothing about it
                        for (Manifest.Entry e : m.objects()) {
                            if (e.chunked()) {
                                bad += checkChunks(engine, p, dests.get(d), b.id(), m, e, unpacker, heldChunks, results);
                                continue;
                            }
                            bad += check(engine, p, dests.get(d), b.id(), m, e, e.object(), e.bytes(), e.sha256(), unpacker, results);
                            if (e.hasIndex()) {
                                bad += check(engine, p, dests.get(d), b.id(), m, e, e.index(), e.indexBytes(), e.indexSha256(), unpacker, results);
                            }
                        }
                        badCopies.put(d, bad - before);
                    }
                    for (String problem : ManifestAgreement.disagreements(b.id(), manifests, badCopies)) {
                        bad++;
                        results.add(result(p.name(), b.id(), problem.substring(0, problem.indexOf(':')), Layout.MANIFEST, problem));
                    }
                }
            }
        }
        if (json) {
            printJson(Map.of("ok", bad == 0, "deep", deep, "results", results));
        } else {
            for (Map<String, Object> r : results) {
                String what = r.get("plan") + " " + (r.get("id") == null ? "" : r.get("id") + " ")
                        + (r.get("destination") == null ? "" : r.get("destination") + " ") + (r.get("object") == null ? "" : r.get("object"));
                if (r.get("problem") == null) {
                    out().println("OK      " + what.trim());
                } else {
                    out().println("FAILED  " + what.trim() + ": " + r.get("problem"));
                }
            }
            out().println(bad == 0 ? "all copies verified" + (deep ? " (deep)" : "") : bad + " problem(s)");
        }
        return bad == 0 ? OK : FAILED;
    }

    /** Checks one stored object (a dump or an index); 1 when it is bad. */
    private int check(Engine engine, Plan p, Destination d, String id, Manifest m, Manifest.Entry e, String object, long bytes,
                      String sha256, Unpacker unpacker, List<Map<String, Object>> results) {
        String key = Layout.object(p.name(), id, object);
        Manifest.Entry as = new Manifest.Entry(e.source(), e.type(), e.tool(), object, bytes, sha256, 0);
        Optional<String> problem = !deep ? CopyCheck.check(d, key, bytes, sha256)
                : deepCheck(engine, p, d, key, as, m, unpacker, object.equals(e.object()));
        results.add(result(p.name(), id, d.name(), object, problem.orElse(null)));
        return problem.isPresent() ? 1 : 0;
    }

    /**
     * Checks a deduplicated object's copy at one destination; 1 when it is bad. Without {@code --deep}: every
     * chunk it needs is there (one listing per destination). With it: every chunk is read from this
     * destination alone, unpacked and checked against its name, and the dump read through; a problem names
     * the backup and the chunk.
     */
    private int checkChunks(Engine engine, Plan p, Destination d, String id, Manifest m, Manifest.Entry e, Unpacker unpacker,
                            Map<String, Map<String, Long>> heldChunks, List<Map<String, Object>> results) {
        Optional<String> problem;
        try {
            Map<String, Long> held = heldChunks.get(d.name());
            if (held == null) {
                held = dev.caravan.backup.Chunks.held(d, p.name());
                heldChunks.put(d.name(), held);
            }
            problem = dev.caravan.backup.Chunks.missing(d.name(), id, e, held);
            if (problem.isEmpty() && deep) {
                try (InputStream dump = unpacker.openChunks(p.name(), m, e, List.of(d))) {
                    Optional<Source> source = engine.source(p, e.source());
                    if (source.isPresent()) {
                        source.get().readThrough(dump);
                    }
                    dump.transferTo(OutputStream.nullOutputStream());
                }
            }
        } catch (Exception x) {
            problem = Optional.of(d.name() + ": " + Failures.rootCause(x));
        }
        results.add(result(p.name(), id, d.name(), e.object() + " (" + e.chunks().size() + " chunks)", problem.orElse(null)));
        return problem.isPresent() ? 1 : 0;
    }

    private static Map<String, Object> result(String plan, String id, String destination, String object, String problem) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("plan", plan);
        m.put("id", id);
        m.put("destination", destination);
        m.put("object", object);
        m.put("problem", problem);
        return m;
    }

    private static Optional<String> deepCheck(Engine engine, Plan p, Destination d, String key, Manifest.Entry e,
                                              Manifest m, Unpacker unpacker, boolean isDump) {
        MessageDigest md = Sha256.digest();
        try (InputStream stored = d.open(key); DigestInputStream digest = new DigestInputStream(stored, md)) {
            InputStream shielded = new java.io.FilterInputStream(digest) {
                @Override
                public void close() {
                    // the digest stream is read to its end below
                }
            };
            try (InputStream dump = unpacker.open(shielded, m)) {
                Optional<Source> source = engine.source(p, e.source());
                if (!isDump) {
                    if (source.orElse(null) instanceof IncrementalSource inc) {
                        inc.readIndexThrough(dump);
                    }
                } else if (source.isPresent()) {
                    source.get().readThrough(dump);
                }
                dump.transferTo(OutputStream.nullOutputStream());
            }
            digest.transferTo(OutputStream.nullOutputStream());
            String sha = Sha256.hex(md);
            if (!sha.equals(e.sha256())) {
                return Optional.of(d.name() + ": " + key + " checksum mismatch (SHA-256 " + sha + ", expected " + e.sha256() + ")");
            }
            return Optional.empty();
        } catch (Exception ex) {
            return Optional.of(d.name() + ": " + key + " does not read through: " + ex.getMessage());
        }
    }
}
