package dev.caravan.retention;

import dev.caravan.model.Retention;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Decides which backups a plan keeps and why (restic {@code forget} / borg {@code prune} style
 * GFS). The rules are described in {@code docs/retention.md}; in short:
 * <ul>
 *   <li>backups whose label has its own rule set in {@link Retention#labels()} are decided by that
 *       rule set alone; all others by the top-level rules;</li>
 *   <li>within a group, a backup is kept if any rule keeps it ({@code keepLast}, one backup per
 *       hourly/daily/weekly/monthly/yearly period, {@code within}); with no such rule, all are kept;</li>
 *   <li>then {@code maxTotalSize} drops the oldest kept backups until the rest fits; each one it
 *       drops says so in {@link Decision#pruneReasons()}, with how far over the cap the set was;</li>
 *   <li>the newest backup of each group and every backup dated after {@code now} are always kept.</li>
 * </ul>
 * Pure and deterministic: no I/O, no clock; ties on time are broken by id.
 */
public final class RetentionPolicy {
    /** Newest first; on equal times, the greater id counts as newer. */
    static final Comparator<BackupRef> NEWEST_FIRST =
            Comparator.comparing(BackupRef::time).thenComparing(BackupRef::id).reversed();

    private RetentionPolicy() {
    }

    /**
     * @param backups the plan's backups on one destination, in any order; ids must be unique
     * @param rules   the plan's retention ({@link Retention#KEEP_ALL} when it has none)
     * @param zone    the plan's time zone: periods (days, ISO weeks, ...) are local to it
     * @param now     the reference time for {@code within} and for spotting backups from the future
     * @return every backup, either kept (with reasons) or to prune, both lists newest first
     * @throws IllegalArgumentException on duplicate ids, negative counts, sizes or durations, or
     *                                  label rules that have label rules of their own
     */
    public static Decision decide(List<BackupRef> backups, Retention rules, ZoneId zone, Instant now) {
        Objects.requireNonNull(backups, "backups");
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(now, "now");
        validate(rules, "retention");
        rules.labels().forEach((label, own) -> {
            validate(own, "retention label '" + label + "'");
            if (!own.labels().isEmpty()) {
                throw new IllegalArgumentException("retention label '" + label + "': label rules cannot have label rules of their own");
            }
        });
        List<BackupRef> sorted = new ArrayList<>(backups);
        sorted.forEach(b -> Objects.requireNonNull(b, "backups must not contain null"));
        sorted.sort(NEWEST_FIRST);
        Set<String> ids = new HashSet<>();
        for (BackupRef b : sorted) {
            if (!ids.add(b.id())) {
                throw new IllegalArgumentException("duplicate backup id " + b.id());
            }
        }

        // Group: "" for the top-level rules, else the label; a label's own rules see only its backups.
        Map<String, List<BackupRef>> groups = new TreeMap<>();
        for (BackupRef b : sorted) {
            groups.computeIfAbsent(groupOf(b, rules), g -> new ArrayList<>()).add(b);
        }
        Map<String, List<String>> reasonsById = new HashMap<>();
        Map<String, String> droppedById = new HashMap<>();
        groups.forEach((group, members) -> {
            Retention groupRules = group.isEmpty() ? rules : rules.labels().get(group);
            String prefix = group.isEmpty() ? "" : "label " + group + ": ";
            GroupDecider.Outcome outcome = new GroupDecider(groupRules, zone, now, prefix).decide(members);
            for (int i = 0; i < members.size(); i++) {
                reasonsById.put(members.get(i).id(), outcome.reasons().get(i));
                if (outcome.droppedWhy().get(i) != null) {
                    droppedById.put(members.get(i).id(), outcome.droppedWhy().get(i));
                }
            }
        });

        List<Decision.Kept> kept = new ArrayList<>();
        List<BackupRef> prune = new ArrayList<>();
        for (BackupRef b : sorted) {
            List<String> reasons = reasonsById.get(b.id());
            if (reasons.isEmpty()) {
                prune.add(b);
            } else {
                kept.add(new Decision.Kept(b, reasons));
            }
        }
        return new Decision(kept, prune, droppedById);
    }

    private static String groupOf(BackupRef b, Retention rules) {
        return b.label() != null && !b.label().isEmpty() && rules.labels().containsKey(b.label()) ? b.label() : "";
    }

    private static void validate(Retention r, String where) {
        check(r.keepLast(), "keepLast", where);
        for (Period period : Period.values()) {
            check(period.count(r), period.rule(), where);
        }
        if (r.within() != null && r.within().isNegative()) {
            throw new IllegalArgumentException(where + ": within must not be negative, was " + r.within());
        }
        if (r.maxTotalSizeBytes() != null && r.maxTotalSizeBytes() < 0) {
            throw new IllegalArgumentException(where + ": maxTotalSize must not be negative, was " + r.maxTotalSizeBytes());
        }
    }

    private static void check(int count, String rule, String where) {
        if (count < 0) {
            throw new IllegalArgumentException(where + ": " + rule + " must not be negative, was " + count);
        }
    }
}
