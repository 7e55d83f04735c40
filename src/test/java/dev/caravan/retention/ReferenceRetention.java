package dev.caravan.retention;

import dev.caravan.model.Retention;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToIntFunction;

/**
 * An independent, deliberately naive reading of docs/retention.md, used as the oracle for the
 * property tests: each backup is judged on its own by brute force (counting newer backups and
 * distinct period names formatted with {@link DateTimeFormatter}), and the size cap is applied
 * literally by removing the oldest unprotected backup while the total is over.
 */
final class ReferenceRetention {
    private static final Map<String, DateTimeFormatter> FORMATTERS = new java.util.concurrent.ConcurrentHashMap<>();

    private ReferenceRetention() {
    }

    /** Kept backup id -> the set of reasons it is kept for; ids not in the map are pruned. */
    static Map<String, Set<String>> keep(List<BackupRef> all, Retention top, ZoneId zone, Instant now) {
        Map<String, Set<String>> result = new HashMap<>();
        Set<String> groupNames = new TreeSet<>();
        all.forEach(b -> groupNames.add(groupOf(b, top)));
        for (String group : groupNames) {
            List<BackupRef> members = new ArrayList<>();
            all.stream().filter(b -> groupOf(b, top).equals(group)).forEach(members::add);
            Retention rules = group.equals("*") ? top : top.labels().get(group);
            String prefix = group.equals("*") ? "" : "label " + group + ": ";
            result.putAll(keepGroup(members, rules, zone, now, prefix));
        }
        return result;
    }

    private static String groupOf(BackupRef b, Retention top) {
        if (b.label() == null || b.label().isEmpty() || !top.labels().containsKey(b.label())) {
            return "*";
        }
        return b.label();
    }

    private static boolean newer(BackupRef a, BackupRef b) {
        int byTime = a.time().compareTo(b.time());
        return byTime > 0 || (byTime == 0 && a.id().compareTo(b.id()) > 0);
    }

    private static Map<String, Set<String>> keepGroup(List<BackupRef> group, Retention r, ZoneId zone, Instant now,
                                                      String prefix) {
        boolean anyRule = r.keepLast() + r.hourly() + r.daily() + r.weekly() + r.monthly() + r.yearly() > 0
                || r.within() != null;
        List<BackupRef> past = group.stream().filter(b -> !b.time().isAfter(now)).toList();
        Map<String, Map<String, String>> names = new HashMap<>(); // rule -> id -> period name, formatted once
        Map<String, Set<String>> kept = new HashMap<>();
        for (BackupRef b : group) {
            Set<String> why = new LinkedHashSet<>();
            boolean future = b.time().isAfter(now);
            if (!anyRule) {
                why.add("no retention rules");
            } else if (!future) {
                long newerCount = past.stream().filter(c -> newer(c, b)).count();
                if (newerCount < r.keepLast()) {
                    why.add("keepLast " + r.keepLast());
                }
                period(why, b, past, names, zone, "hourly", "yyyy-MM-dd'T'HH", Retention::hourly, r);
                period(why, b, past, names, zone, "daily", "yyyy-MM-dd", Retention::daily, r);
                period(why, b, past, names, zone, "weekly", null, Retention::weekly, r);
                period(why, b, past, names, zone, "monthly", "yyyy-MM", Retention::monthly, r);
                period(why, b, past, names, zone, "yearly", "yyyy", Retention::yearly, r);
                if (r.within() != null && Duration.between(b.time(), now).compareTo(r.within()) <= 0) {
                    why.add("within " + human(r.within()));
                }
            }
            if (future) {
                why.add("newer than now (clock skew?)");
            }
            boolean newest = group.stream().noneMatch(c -> newer(c, b));
            if (newest && why.isEmpty()) {
                why.add("newest backup");
            }
            if (!why.isEmpty()) {
                kept.put(b.id(), why);
            }
        }
        if (r.maxTotalSizeBytes() != null) {
            cap(group, kept, BigInteger.valueOf(r.maxTotalSizeBytes()), now);
        }
        Map<String, Set<String>> prefixed = new HashMap<>();
        kept.forEach((id, why) -> {
            Set<String> p = new LinkedHashSet<>();
            why.forEach(w -> p.add(prefix + w));
            prefixed.put(id, p);
        });
        return prefixed;
    }

    private static void period(Set<String> why, BackupRef b, List<BackupRef> past, Map<String, Map<String, String>> cache,
                               ZoneId zone, String rule,
                               String pattern, ToIntFunction<Retention> count, Retention r) {
        int n = count.applyAsInt(r);
        if (n == 0) {
            return;
        }
        Map<String, String> names = cache.computeIfAbsent(rule, k -> {
            Map<String, String> byId = new HashMap<>();
            past.forEach(c -> byId.put(c.id(), periodName(c.time(), zone, pattern)));
            return byId;
        });
        String key = names.get(b.id());
        boolean newestOfItsPeriod = true;
        Set<String> periodsUpToB = new HashSet<>();
        for (BackupRef c : past) {
            if (!newer(b, c)) {
                String name = names.get(c.id());
                periodsUpToB.add(name);
                newestOfItsPeriod &= c == b || !name.equals(key);
            }
        }
        if (newestOfItsPeriod && periodsUpToB.size() <= n) {
            why.add(rule + " " + key);
        }
    }

    private static String periodName(Instant t, ZoneId zone, String pattern) {
        if (pattern == null) {
            String isoWeekDate = t.atZone(zone).toLocalDate().format(DateTimeFormatter.ISO_WEEK_DATE); // 2025-W11-6
            return isoWeekDate.substring(0, isoWeekDate.lastIndexOf('-'));
        }
        return FORMATTERS.computeIfAbsent(pattern, DateTimeFormatter::ofPattern).format(t.atZone(zone));
    }

    private static String human(Duration d) {
        String s = "";
        if (d.toDaysPart() > 0) {
            s += d.toDaysPart() + "d";
        }
        if (d.toHoursPart() > 0) {
            s += d.toHoursPart() + "h";
        }
        if (d.toMinutesPart() > 0) {
            s += d.toMinutesPart() + "m";
        }
        if (d.toSecondsPart() > 0) {
            s += d.toSecondsPart() + "s";
        }
        return s.isEmpty() ? "0s" : s;
    }

    /** Literally: while over the cap, drop the oldest kept backup that is neither the newest nor from the future. */
    private static void cap(List<BackupRef> group, Map<String, Set<String>> kept, BigInteger cap, Instant now) {
        List<BackupRef> oldestFirst = new ArrayList<>(group.stream().filter(b -> kept.containsKey(b.id())).toList());
        oldestFirst.sort((a, b) -> newer(a, b) ? 1 : newer(b, a) ? -1 : 0);
        BigInteger total = BigInteger.ZERO;
        for (BackupRef b : oldestFirst) {
            total = total.add(BigInteger.valueOf(b.sizeBytes()));
        }
        List<BackupRef> newestOfGroup = group.stream().filter(b -> group.stream().noneMatch(c -> newer(c, b))).toList();
        while (total.compareTo(cap) > 0) {
            BackupRef victim = null;
            for (BackupRef b : oldestFirst) {
                if (!newestOfGroup.contains(b) && !b.time().isAfter(now)) {
                    victim = b;
                    break;
                }
            }
            if (victim == null) {
                break;
            }
            oldestFirst.remove(victim);
            kept.remove(victim.id());
            total = total.subtract(BigInteger.valueOf(victim.sizeBytes()));
        }
        if (total.compareTo(cap) > 0) {
            for (BackupRef b : oldestFirst) {
                kept.get(b.id()).add("over maxTotalSize (" + cap + " bytes), kept by safety rule");
            }
        }
    }
}
