package dev.caravan.cli;

import java.time.Duration;
import java.util.Locale;

/** Human-readable sizes, rates and durations for terminal output. */
final class Sizes {
    private Sizes() {
    }

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** {@code logical / stored}, to one decimal (what dedup and compression save together); 0 when nothing is stored. */
    static double ratio(long logical, long stored) {
        return stored <= 0 ? 0 : Math.round(logical * 10.0 / stored) / 10.0;
    }

    static String duration(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        if (s < 172800) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
        }
        return (s / 86400) + "d";
    }
}
