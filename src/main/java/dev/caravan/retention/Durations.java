package dev.caravan.retention;

import java.time.Duration;

/** Short durations as operators write them: {@code 2d}, {@code 36h} is {@code 1d12h}, {@code 90m} is {@code 1h30m}. */
final class Durations {
    private Durations() {
    }

    static String format(Duration d) {
        if (d.getNano() != 0) {
            return d.toString();
        }
        long s = d.getSeconds();
        if (s == 0) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        append(out, s / 86_400, "d");
        append(out, s % 86_400 / 3_600, "h");
        append(out, s % 3_600 / 60, "m");
        append(out, s % 60, "s");
        return out.toString();
    }

    private static void append(StringBuilder out, long value, String unit) {
        if (value != 0) {
            out.append(value).append(unit);
        }
    }
}
