package dev.caravan.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.caravan.backup.Layout;
import dev.caravan.backup.Manifest;
import dev.caravan.destination.Destination;
import dev.caravan.dsl.Schedules;
import dev.caravan.model.Incremental;
import dev.caravan.model.Plan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The local state of a plan's incremental chain, under {@code <state dir>/incremental/<plan>/}:
 * {@code chain.json} (the chain's full, the last backup and the chain's length) and, per source,
 * the index of that last backup ({@code <source>.index.jsonl}), which the next run compares against.
 * The same indexes are stored with every backup; this cache only spares downloading (and
 * decrypting, which needs the identity) them. When it is missing or stale, the next run is a full.
 */
final class ChainState {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What {@code chain.json} holds. */
    record Saved(String base, String baseStarted, String last, int length) {
    }

    /** How this run is taken: a full (parent and base null) or an incremental on top of {@code parent}. */
    record Decision(String type, String parent, String base, int length, String reason) {
        boolean incremental() {
            return Manifest.INCREMENTAL.equals(type);
        }
    }

    private final Path dir;

    ChainState(Path stateDir, String plan) {
        this.dir = stateDir.resolve("incremental").resolve(plan);
    }

    /** The cached index of the chain's last backup for one source (may not exist). */
    Path index(String source) {
        return dir.resolve(source + ".index");
    }

    Optional<Saved> saved() {
        Path f = dir.resolve("chain.json");
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(f.toFile(), Saved.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Full or incremental: a full unless the plan is incremental, the cache names a last backup that
     * every destination still holds complete, the chain is not full yet ({@code fullEvery}), the
     * {@code full} schedule has not fired since the chain's full, and every source has its cached index.
     */
    Decision decide(Plan plan, Map<String, Destination> destinations, List<String> sources, Instant now) {
        Incremental inc = plan.incremental();
        if (inc == null) {
            return full("the plan is not incremental");
        }
        Optional<Saved> saved = saved();
        if (saved.isEmpty()) {
            return full("no chain state in " + dir);
        }
        Saved s = saved.get();
        if (inc.fullEvery() > 0 && s.length() >= inc.fullEvery()) {
            return full("the chain holds " + s.length() + " backups (fullEvery " + inc.fullEvery() + ")");
        }
        if (inc.full() != null) {
            Optional<ZonedDateTime> next = Schedules.nextFire(inc.full(), plan.timezone(),
                    Instant.parse(s.baseStarted()).atZone(plan.timezone()));
            if (next.isPresent() && !next.get().toInstant().isAfter(now)) {
                return full("'full " + inc.full().expression() + "' fired at " + next.get().toInstant() + ", after the chain's full");
            }
        }
        for (String source : sources) {
            if (!Files.isRegularFile(index(source))) {
                return full("no cached index for source '" + source + "'");
            }
        }
        for (Map.Entry<String, Destination> d : destinations.entrySet()) {
            try {
                String manifest = Layout.manifest(plan.name(), s.last());
                boolean held = d.getValue().list(Layout.backupPrefix(plan.name(), s.last())).stream()
                        .anyMatch(o -> o.key().equals(manifest));
                if (!held) {
                    return full(d.getKey() + " does not hold the chain's last backup " + s.last());
                }
            } catch (IOException | RuntimeException e) {
                return full(d.getKey() + " cannot be listed: " + e.getMessage());
            }
        }
        return new Decision(Manifest.INCREMENTAL, s.last(), s.base(), s.length() + 1, "on top of " + s.last());
    }

    private static Decision full(String reason) {
        return new Decision(Manifest.FULL, null, null, 1, reason);
    }

    /** After a backup stored everywhere: its indexes become the ones the next run compares against. */
    void commit(String id, Instant started, Decision decision, Map<String, Path> indexes) throws IOException {
        Files.createDirectories(dir);
        Saved previous = saved().orElse(null);
        Files.deleteIfExists(dir.resolve("chain.json")); // a crash while indexes change leaves no chain: a full next
        for (Map.Entry<String, Path> e : indexes.entrySet()) {
            Path target = index(e.getKey());
            Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
            Files.copy(e.getValue(), tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        Saved next = decision.incremental() && previous != null
                ? new Saved(previous.base(), previous.baseStarted(), id, decision.length())
                : new Saved(id, started.toString(), id, 1);
        Path tmp = dir.resolve("chain.json.tmp");
        JSON.writeValue(tmp.toFile(), next);
        Files.move(tmp, dir.resolve("chain.json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
