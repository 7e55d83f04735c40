package dev.caravan.dsl;

import dev.caravan.model.Incremental;
import dev.caravan.model.Schedule;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code incremental { full '@weekly'; fullEvery 7 }}: a new chain (a full) when {@code full} has
 * fired since the chain's full, or once the chain holds {@code fullEvery} backups.
 */
public final class IncrementalContext extends Context {
    private static final Map<String, String> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("full", "full '@weekly' (any schedule form: cron, @daily, every('7d'))");
        KEYS.put("fullEvery", "fullEvery 7 (a chain holds at most 7 backups: one full, then 6 incrementals)");
    }

    private Schedule full;
    private int fullEvery;
    private boolean rejected;

    IncrementalContext(Loading loading) {
        super(loading);
    }

    @Override
    String where() {
        return "incremental: ";
    }

    @Override
    Map<String, String> keys() {
        return KEYS;
    }

    /** An unknown key is reported as such; the block is then not also reported as empty. */
    @Override
    public Object methodMissing(String name, Object args) {
        rejected = true;
        return super.methodMissing(name, args);
    }

    public void full(Object expression) {
        if (!once("full") || expression == null) {
            rejected = true;
            return;
        }
        if (expression instanceof Schedule s) {
            full = s;
            return;
        }
        String text = text(expression);
        try {
            full = Schedules.parse(text == null ? String.valueOf(expression) : text);
        } catch (IllegalArgumentException e) {
            rejected = true;
            problem("full: " + e.getMessage(), List.of(Schedules.FORMS));
        }
    }

    /** {@code every('7d')}, used as {@code full every('7d')}. */
    public Schedule every(Object interval) {
        String text = text(interval);
        try {
            return Schedules.every(text == null ? String.valueOf(interval) : text);
        } catch (IllegalArgumentException e) {
            problem(e.getMessage());
            return null;
        }
    }

    public void fullEvery(Object count) {
        if (!once("fullEvery")) {
            return;
        }
        if (!(count instanceof Integer n) || n < 1) {
            rejected = true;
            problem("fullEvery needs a whole number of backups, 1 or more, was " + count, List.of("usage: " + KEYS.get("fullEvery")));
            return;
        }
        fullEvery = n;
    }

    /** The model, or null (and a problem) when neither key is set. */
    Incremental build() {
        if (full == null && fullEvery == 0) {
            if (!rejected) {
                problem("say when a new chain starts with a full", List.of("add: " + KEYS.get("full"), "or: " + KEYS.get("fullEvery")));
            }
            return null;
        }
        return new Incremental(full, fullEvery);
    }
}
