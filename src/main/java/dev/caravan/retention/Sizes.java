package dev.caravan.retention;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Sizes in retention reasons, in the decimal units plans are usually written in: {@code 5 MB},
 * {@code 2.25 GB}, {@code 740 bytes}. Up to two decimals, trailing zeros dropped, so a cap written
 * {@code '5 MB'} reads back as {@code 5 MB}.
 */
final class Sizes {
    private static final String[] UNITS = {"KB", "MB", "GB", "TB", "PB", "EB"};

    private Sizes() {
    }

    static String format(long bytes) {
        if (bytes < 1000) {
            return bytes + (bytes == 1 ? " byte" : " bytes");
        }
        BigDecimal v = BigDecimal.valueOf(bytes);
        int u = -1;
        BigDecimal thousand = BigDecimal.valueOf(1000);
        while (v.compareTo(thousand) >= 0 && u < UNITS.length - 1) {
            v = v.divide(thousand);
            u++;
        }
        return v.setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString() + " " + UNITS[u];
    }
}
