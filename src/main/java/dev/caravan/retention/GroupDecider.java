package dev.caravan.retention;

import dev.caravan.model.Retention;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies one rule set to one group of backups (all backups without their own label rules, or all
 * backups of one label). The group is given newest first; the answer is one list of reasons per
 * backup, empty for a backup to prune, and for each backup the size cap dropped, why.
 */
final class GroupDecider {
    /**
     * @param reasons     index for index with the group: why each backup is kept, empty to prune it
     * @param droppedWhy  index for index: for a backup some rule kept and {@code maxTotalSize}
     *                    dropped, that reason; null for every other backup
     */
    record Outcome(List<List<String>> reasons, List<String> droppedWhy) {
    }

    static final String NO_RULES = "no retention rules";
    static final String FUTURE = "newer than now (clock skew?)";
    static final String NEWEST = "newest backup";

    private final Retention rules;
    private final ZoneId zone;
    private final Instant now;
    private final String prefix;

    /**
     * @param prefix put before every reason: {@code ""} for the top-level rules,
     *               {@code "label pre-update: "} for a label's own rules
     */
    GroupDecider(Retention rules, ZoneId zone, Instant now, String prefix) {
        this.rules = rules;
        this.zone = zone;
        this.now = now;
        this.prefix = prefix;
    }

    /** Reasons per backup, index for index with {@code newestFirst}. */
    Outcome decide(List<BackupRef> newestFirst) {
        List<List<String>> reasons = new ArrayList<>();
        List<String> droppedWhy = new ArrayList<>();
        newestFirst.forEach(b -> {
            reasons.add(new ArrayList<>());
            droppedWhy.add(null);
        });
        if (newestFirst.isEmpty()) {
            return new Outcome(reasons, droppedWhy);
        }
        // Backups dated after now are kept below and take no part in the rules: they are a prefix.
        int futureCount = 0;
        while (futureCount < newestFirst.size() && newestFirst.get(futureCount).time().isAfter(now)) {
            futureCount++;
        }
        List<BackupRef> past = newestFirst.subList(futureCount, newestFirst.size());
        if (hasKeepRule(rules)) {
            applyKeepLast(past, reasons, futureCount);
            for (Period period : Period.values()) {
                applyPeriod(period, past, reasons, futureCount);
            }
            applyWithin(past, reasons, futureCount);
        } else {
            reasons.forEach(r -> r.add(prefix + NO_RULES));
        }
        for (int i = 0; i < futureCount; i++) {
            reasons.get(i).add(prefix + FUTURE);
        }
        if (reasons.get(0).isEmpty()) {
            reasons.get(0).add(prefix + NEWEST);
        }
        if (rules.maxTotalSizeBytes() != null) {
            applySizeCap(newestFirst, reasons, droppedWhy, Math.max(1, futureCount));
        }
        return new Outcome(reasons, droppedWhy);
    }

    /** True when some rule says what to keep; without one, every backup is kept (before the cap). */
    static boolean hasKeepRule(Retention rules) {
        if (rules.keepLast() > 0 || rules.within() != null) {
            return true;
        }
        for (Period period : Period.values()) {
            if (period.count(rules) > 0) {
                return true;
            }
        }
        return false;
    }

    private void applyKeepLast(List<BackupRef> past, List<List<String>> reasons, int offset) {
        int n = Math.min(rules.keepLast(), past.size());
        for (int i = 0; i < n; i++) {
            reasons.get(offset + i).add(prefix + "keepLast " + rules.keepLast());
        }
    }

    /** Keeps the newest backup of each of the N most recent periods that hold a backup. */
    private void applyPeriod(Period period, List<BackupRef> past, List<List<String>> reasons, int offset) {
        int n = period.count(rules);
        if (n == 0) {
            return;
        }
        // First sighting of a period, walking newest first, is that period's newest backup; periods
        // therefore come out ordered by their newest backup, most recent first.
        Map<String, Integer> newestOfPeriod = new LinkedHashMap<>();
        for (int i = 0; i < past.size(); i++) {
            newestOfPeriod.putIfAbsent(period.name(past.get(i).time().atZone(zone)), i);
        }
        int taken = 0;
        for (Map.Entry<String, Integer> e : newestOfPeriod.entrySet()) {
            if (taken++ == n) {
                break;
            }
            reasons.get(offset + e.getValue()).add(prefix + period.rule() + " " + e.getKey());
        }
    }

    private void applyWithin(List<BackupRef> past, List<List<String>> reasons, int offset) {
        if (rules.within() == null) {
            return;
        }
        Instant cutoff = now.minus(rules.within());
        String reason = prefix + "within " + Durations.format(rules.within());
        for (int i = 0; i < past.size() && !past.get(i).time().isBefore(cutoff); i++) {
            reasons.get(offset + i).add(reason);
        }
    }

    /**
     * Drops the oldest kept backups until the kept total fits the cap. The first {@code protectedCount}
     * backups (the newest, and any dated after now) are never dropped; when they alone exceed the
     * cap, each says so. Each backup dropped gets a reason naming the cap, the rules that kept it and
     * how far over the cap the kept set was: that is what an operator must change to keep it.
     */
    private void applySizeCap(List<BackupRef> newestFirst, List<List<String>> reasons, List<String> droppedWhy,
                              int protectedCount) {
        long cap = rules.maxTotalSizeBytes();
        long keptTotal = 0;
        for (int i = 0; i < newestFirst.size(); i++) {
            if (!reasons.get(i).isEmpty()) {
                keptTotal = saturatingAdd(keptTotal, newestFirst.get(i).sizeBytes());
            }
        }
        String over = "the backups the rules keep total " + Sizes.format(keptTotal) + ", "
                + Sizes.format(keptTotal - cap) + " over the cap";
        long total = 0;
        int seen = 0;
        boolean full = false;
        for (int i = 0; i < newestFirst.size(); i++) {
            if (reasons.get(i).isEmpty()) {
                continue;
            }
            long sum = saturatingAdd(total, newestFirst.get(i).sizeBytes());
            // Dropping oldest first until the rest fits keeps the newest run of kept backups that fits.
            full = full || (seen >= protectedCount && sum > cap);
            if (full) {
                droppedWhy.set(i, prefix + "maxTotalSize " + Sizes.format(cap) + " dropped it ("
                        + keptBy(reasons.get(i)) + over + ")");
                reasons.get(i).clear();
            } else {
                total = sum;
            }
            seen++;
        }
        if (total > cap) {
            String note = prefix + "over maxTotalSize (" + cap + " bytes), kept by safety rule";
            reasons.forEach(r -> {
                if (!r.isEmpty()) {
                    r.add(note);
                }
            });
        }
    }

    /** {@code "kept by keepLast 10, daily 2025-03-14; "}, or nothing when no keep rule is set at all. */
    private String keptBy(List<String> reasons) {
        List<String> rulesThatKept = reasons.stream().map(r -> r.substring(prefix.length()))
                .filter(r -> !r.equals(NO_RULES)).toList();
        return rulesThatKept.isEmpty() ? "" : "kept by " + String.join(", ", rulesThatKept) + "; ";
    }

    private static long saturatingAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
