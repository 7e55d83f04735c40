package dev.caravan.dsl;

import dev.caravan.model.Durations;
import dev.caravan.model.Retention;
import groovy.lang.Closure;
import groovy.lang.DelegatesTo;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code retention { keepLast 3; hourly 24; daily 7; weekly 4; monthly 12; yearly 3; within '2d';
 * maxTotalSize '50 GB'; label('pre-update') { keepLast 2 } }}. A label block takes the same rules
 * (but no nested label) and applies to backups with that label.
 */
public final class RetentionContext extends Context {
    private static final Map<String, String> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("keepLast", "keepLast 3");
        KEYS.put("hourly", "hourly 24");
        KEYS.put("daily", "daily 7");
        KEYS.put("weekly", "weekly 4");
        KEYS.put("monthly", "monthly 12");
        KEYS.put("yearly", "yearly 3");
        KEYS.put("within", "within '2d'");
        KEYS.put("maxTotalSize", "maxTotalSize '50 GB'");
        KEYS.put("label", "label('pre-update') { keepLast 2 }");
    }

    private final String where;
    private final boolean labelsAllowed;
    private final Map<String, Integer> counts = new HashMap<>();
    private final Map<String, Retention> labels = new LinkedHashMap<>();
    private Duration within;
    private Long maxTotalSize;
    private final int problemsBefore;

    RetentionContext(Loading loading, String where, boolean labelsAllowed) {
        super(loading);
        this.where = where;
        this.labelsAllowed = labelsAllowed;
        this.problemsBefore = loading.problems.count();
    }

    @Override
    String where() {
        return where;
    }

    @Override
    Map<String, String> keys() {
        return KEYS;
    }

    public void keepLast(Object n) {
        count("keepLast", n);
    }

    public void hourly(Object n) {
        count("hourly", n);
    }

    public void daily(Object n) {
        count("daily", n);
    }

    public void weekly(Object n) {
        count("weekly", n);
    }

    public void monthly(Object n) {
        count("monthly", n);
    }

    public void yearly(Object n) {
        count("yearly", n);
    }

    public void within(Object duration) {
        if (once("within")) {
            try {
                within = Durations.parse(String.valueOf(text(duration) == null ? duration : text(duration)));
            } catch (IllegalArgumentException e) {
                problem("within: " + e.getMessage());
            }
        }
    }

    public void maxTotalSize(Object size) {
        if (!once("maxTotalSize")) {
            return;
        }
        if (size instanceof Integer || size instanceof Long) {
            long n = ((Number) size).longValue();
            if (n > 0) {
                maxTotalSize = n;
                return;
            }
        }
        try {
            maxTotalSize = Sizes.parse(text(size) == null ? String.valueOf(size) : text(size));
        } catch (IllegalArgumentException e) {
            problem("maxTotalSize: " + e.getMessage());
        }
    }

    public void label(Object name,
                      @DelegatesTo(value = RetentionContext.class, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        if (!labelsAllowed) {
            problem("a label block cannot hold another label block");
            return;
        }
        String n = loading.name("retention label", name);
        if (n == null) {
            return;
        }
        if (labels.containsKey(n)) {
            problem("label '" + n + "' is declared twice");
            return;
        }
        labels.put(n, run(body, new RetentionContext(loading, "retention label '" + n + "': ", false)).build());
    }

    private void count(String key, Object n) {
        if (!once(key)) {
            return;
        }
        if (n instanceof Integer i && i >= 0) {
            counts.put(key, i);
        } else {
            problem(key + " takes a whole number, 0 or more, not '" + n + "'", List.of("e.g. " + KEYS.get(key)));
        }
    }

    /**
     * The rules written. A block whose rules are all off (every count 0, nothing else) would keep
     * every backup, which is what leaving the block out does: almost always a mistake, so a problem.
     */
    Retention build() {
        Retention r = rules();
        if (r.keepsEverything() && r.labels().isEmpty() && loading.problems.count() == problemsBefore) {
            problem("no rule removes anything, so every backup would be kept (a count of 0 turns a rule off)",
                    List.of("set a rule such as keepLast 3, or leave the block out to keep everything"));
        }
        return r;
    }

    private Retention rules() {
        return new Retention(counts.getOrDefault("keepLast", 0), counts.getOrDefault("hourly", 0),
                counts.getOrDefault("daily", 0), counts.getOrDefault("weekly", 0), counts.getOrDefault("monthly", 0),
                counts.getOrDefault("yearly", 0), within, maxTotalSize, labels);
    }
}
