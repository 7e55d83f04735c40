package dev.caravan.pipeline;

import dev.caravan.backup.ChunkNames;
import dev.caravan.backup.Layout;
import dev.caravan.destination.Destination;
import dev.caravan.format.Compressors;
import dev.caravan.format.FastCdc;
import dev.caravan.io.Failures;
import dev.caravan.io.Sha256;
import dev.caravan.model.Plan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The chunk store of one run of a deduplicated plan ({@code dedup true}): cuts each source's dump into
 * content-defined chunks ({@link FastCdc}), names each by the hash of its bytes ({@link ChunkNames}),
 * and stores a chunk through the one write path ({@link Packer} on its own, then {@link Fanout}) only at
 * the destinations that do not hold it yet, under {@code <plan>/chunks/}. What each destination holds is
 * listed once, when the run's first chunked source starts.
 *
 * <p>The naming key of an encrypted plan is a random key kept in the state dir
 * ({@code dedup/<plan>.key}, owner-only), derived per recipients and compression. Losing it costs one
 * run that stores every chunk again under new names (the old ones go with their backups), never a
 * restore: the manifests list the names.
 */
final class ChunkStore {
    private final Plan plan;
    private final Packer packer;
    private final Fanout fanout;
    private final List<Fanout.Target> targets;
    private final Path workDir;
    private final ChunkNames names;
    private final String sealedKey;
    /** Per destination: the chunks it holds, with their stored size. */
    private final Map<String, Map<String, Long>> held = new HashMap<>();
    /** Destinations whose chunks could not be listed, with the sentence. */
    private final Map<String, String> unlisted = new LinkedHashMap<>();
    private final AtomicLong spools = new AtomicLong();

    private ChunkStore(Plan plan, Packer packer, Fanout fanout, List<Fanout.Target> targets, Path workDir,
                       ChunkNames names, String sealedKey) {
        this.plan = plan;
        this.packer = packer;
        this.fanout = fanout;
        this.targets = targets;
        this.workDir = workDir;
        this.names = names;
        this.sealedKey = sealedKey;
    }

    /** A store for one run: loads (or makes) the plan's key and lists the chunks every destination holds. */
    static ChunkStore open(Plan plan, Packer packer, Fanout fanout, List<Fanout.Target> targets, Path workDir, Path stateDir)
            throws IOException {
        String ext = Compressors.get(plan.compression().algorithm()).extension();
        ChunkNames names;
        String sealed = null;
        if (plan.encryption().enabled()) {
            byte[] key = ChunkNames.derive(planKey(stateDir, plan.name()), plan.encryption().recipients(), plan.compression().algorithm());
            names = ChunkNames.keyed(key, ext);
            sealed = ChunkNames.seal(key, plan.encryption());
        } else {
            names = ChunkNames.plain(ext);
        }
        ChunkStore store = new ChunkStore(plan, packer, fanout, targets, workDir, names, sealed);
        for (Fanout.Target t : targets) {
            if (!t.usable()) {
                continue;
            }
            try {
                Map<String, Long> have = new HashMap<>();
                String prefix = Layout.chunkPrefix(plan.name());
                for (Destination.StoredObject o : t.destination().list(prefix)) {
                    have.put(o.key().substring(prefix.length()), o.size());
                }
                store.held.put(t.name(), have);
            } catch (IOException | RuntimeException e) {
                store.unlisted.put(t.name(), t.destination().sentence(e));
            }
        }
        return store;
    }

    /** The naming key sealed for the manifest ({@code chunkKey}), or null for an unencrypted plan. */
    String sealedKey() {
        return sealedKey;
    }

    /** A chunked object as stored: its chunk names in order and its sizes. */
    record Chunked(List<String> chunks, long bytes, long newBytes, long dumpBytes, String sha256) {
    }

    /**
     * Runs the job's dump through the chunker and stores each chunk where it is missing. A destination
     * that fails one chunk is recorded on the job (it gets no manifest) and is not sent the later ones.
     */
    Chunked write(SourceJob job, StreamPipe pipe) throws IOException {
        targets.stream().filter(t -> !t.usable()).forEach(t -> job.failedAt(t.name(), t.unavailable()));
        unlisted.forEach((name, why) -> job.failedAt(name, "cannot list its chunks: " + why));
        MessageDigest whole = Sha256.digest();
        List<String> chunks = new ArrayList<>();
        long[] sizes = new long[2]; // stored bytes referenced, stored bytes new
        pipe.writeTo(new FastCdc((buf, off, len) -> {
            whole.update(buf, off, len);
            String name = names.name(buf, off, len);
            chunks.add(name);
            store(job, name, buf, off, len, sizes);
        }));
        return new Chunked(List.copyOf(chunks), sizes[0], sizes[1], pipe.dumpCounter().sum(), Sha256.hex(whole));
    }

    private void store(SourceJob job, String name, byte[] buf, int off, int len, long[] sizes) throws IOException {
        Long known = null;
        List<Fanout.Target> need = new ArrayList<>();
        for (Fanout.Target t : targets) {
            Map<String, Long> have = held.get(t.name());
            if (have == null || job.failures().containsKey(t.name())) {
                continue;
            }
            Long size = have.get(name);
            if (size == null) {
                need.add(t);
            } else if (known == null) {
                known = size;
            }
        }
        if (need.isEmpty()) {
            sizes[0] += known == null ? 0 : known;
            return;
        }
        Path spool = workDir.resolve("chunk-" + spools.incrementAndGet());
        try {
            StreamPipe.Spooled s = packer.pipe(out -> out.write(buf, off, len)).spool(spool);
            Map<String, String> failed = fanout.store(Layout.chunk(plan.name(), name), s, need,
                    new Fanout.Options(plan.verify().afterUpload(), false));
            for (Fanout.Target t : need) {
                String why = failed.get(t.name());
                if (why == null) {
                    held.get(t.name()).put(name, s.bytes());
                } else {
                    job.failedAt(t.name(), "chunk " + name + ": " + why);
                }
            }
            sizes[0] += known == null ? s.bytes() : known;
            if (known == null) {
                sizes[1] += s.bytes();
            }
        } finally {
            Files.deleteIfExists(spool);
        }
    }

    /** The plan's random key, made on first use: 32 bytes, hex, in a file only its owner reads. */
    static byte[] planKey(Path stateDir, String plan) throws IOException {
        Path file = stateDir.resolve("dedup").resolve(plan + ".key");
        if (Files.exists(file)) {
            try {
                return HexFormat.of().parseHex(Files.readString(file).strip());
            } catch (IllegalArgumentException e) {
                throw new IOException("the dedup key " + file + " is damaged (" + Failures.rootCause(e)
                        + "); remove it to start new chunk names");
            }
        }
        Files.createDirectories(file.getParent());
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Path tmp = file.resolveSibling(plan + ".key.tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, HexFormat.of().formatHex(key) + "\n");
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return key;
    }
}
