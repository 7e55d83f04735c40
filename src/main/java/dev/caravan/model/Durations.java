package dev.caravan.model;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as written in plans: a whole number and a unit, {@code 30s}, {@code 15m}, {@code 6h}, {@code 2d}, {@code 1w}.
 * In model, below the DSL, so that the kinds parsing their own options (a destination's {@code timeout}) need not import dsl/.
 */
public final class Durations {
    private static final Pattern DURATION = Pattern.compile("\\s*(\\d+)\\s*([smhdw])\\s*");

    private Durations() {
    }

    /** @throws IllegalArgumentException when the text is not such a duration, or is zero */
    public static Duration parse(String text) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid duration '" + text
                    + "': expected a number and a unit s, m, h, d or w, e.g. '15m' or '2d'");
        }
        long n = Long.parseLong(m.group(1));
        if (n == 0) {
            throw new IllegalArgumentException("invalid duration '" + text + "': must be more than zero");
        }
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
        };
    }
}
