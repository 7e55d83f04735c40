package dev.caravan.retention;

import dev.caravan.model.Retention;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Test builder for {@link Retention}: {@code Rules.of().daily(7).weekly(4).build()}. */
final class Rules {
    private int keepLast;
    private int hourly;
    private int daily;
    private int weekly;
    private int monthly;
    private int yearly;
    private Duration within;
    private Long maxTotalSize;
    private final Map<String, Retention> labels = new HashMap<>();

    static Rules of() {
        return new Rules();
    }

    Rules keepLast(int n) {
        keepLast = n;
        return this;
    }

    Rules hourly(int n) {
        hourly = n;
        return this;
    }

    Rules daily(int n) {
        daily = n;
        return this;
    }

    Rules weekly(int n) {
        weekly = n;
        return this;
    }

    Rules monthly(int n) {
        monthly = n;
        return this;
    }

    Rules yearly(int n) {
        yearly = n;
        return this;
    }

    Rules within(Duration d) {
        within = d;
        return this;
    }

    Rules maxTotalSize(long bytes) {
        maxTotalSize = bytes;
        return this;
    }

    Rules label(String label, Rules own) {
        labels.put(label, own.build());
        return this;
    }

    Retention build() {
        return new Retention(keepLast, hourly, daily, weekly, monthly, yearly, within, maxTotalSize, labels);
    }
}
