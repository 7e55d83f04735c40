package dev.caravan.service;

import dev.caravan.backup.Catalog;
import dev.caravan.drill.DrillReport;
import dev.caravan.model.Plan;
import dev.caravan.pipeline.BackupResult;
import dev.caravan.pipeline.RunListener;
import dev.caravan.wal.WalLag;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the status page shows that no destination stores: each destination's last failure (from runs
 * and from listings), the last few drills, the newest WAL lag. Kept in memory only, since the
 * service started; a restart forgets it (the run reports on the destinations keep the full record).
 */
final class StatusHistory implements RunListener {
    /** Drills kept per plan. */
    static final int DRILLS = 5;

    /** One failure of one destination: when, and the sentence saying why. */
    record Failure(Instant at, String why) {
    }

    private final Clock clock;
    private final Map<String, Failure> failures = new ConcurrentHashMap<>();
    private final Map<String, Deque<DrillReport>> drills = new ConcurrentHashMap<>();
    private final Map<String, WalLag> walLags = new ConcurrentHashMap<>();

    StatusHistory(Clock clock) {
        this.clock = clock;
    }

    /** A run's destinations that did not get a verified copy. */
    @Override
    public void finished(Plan plan, BackupResult result) {
        result.destinations().forEach((d, why) -> {
            if (why != null) {
                failures.put(key(plan.name(), d), new Failure(clock.instant(), why));
            }
        });
    }

    /** The destinations a listing could not reach. */
    void listed(Plan plan, Catalog catalog) {
        catalog.unreachable().forEach((d, why) -> failures.put(key(plan.name(), d), new Failure(clock.instant(), why)));
    }

    void drill(Plan plan, DrillReport report) {
        Deque<DrillReport> q = drills.computeIfAbsent(plan.name(), k -> new ArrayDeque<>());
        synchronized (q) {
            q.addFirst(report);
            while (q.size() > DRILLS) {
                q.removeLast();
            }
        }
    }

    void walLag(WalLag lag) {
        walLags.put(key(lag.plan(), lag.source()), lag);
    }

    Optional<Failure> lastFailure(String plan, String destination) {
        return Optional.ofNullable(failures.get(key(plan, destination)));
    }

    /** The plan's last drills, newest first. */
    List<DrillReport> drills(String plan) {
        Deque<DrillReport> q = drills.get(plan);
        if (q == null) {
            return List.of();
        }
        synchronized (q) {
            return new ArrayList<>(q);
        }
    }

    /** The newest WAL lag of each continuous source of the plan. */
    List<WalLag> walLags(String plan) {
        return walLags.values().stream().filter(l -> l.plan().equals(plan)).sorted(java.util.Comparator.comparing(WalLag::source)).toList();
    }

    /** Forgets a plan removed from the file. */
    void forget(String plan) {
        String prefix = plan + "\0";
        failures.keySet().removeIf(k -> k.startsWith(prefix));
        walLags.keySet().removeIf(k -> k.startsWith(prefix));
        drills.remove(plan);
    }

    private static String key(String plan, String name) {
        return plan + "\0" + name;
    }
}
