package dev.caravan.dsl;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes as written in plans: {@code 500 MB}, {@code 50 GB}, {@code 1.5TiB}, {@code 1024} (bytes).
 * Decimal units are powers of 1000 (GB = 10^9), binary units powers of 1024 (GiB = 2^30).
 */
public final class Sizes {
    private static final Pattern SIZE = Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*([a-zA-Z]*)\\s*");
    private static final Map<String, BigDecimal> UNITS = Map.ofEntries(
            Map.entry("", BigDecimal.ONE), Map.entry("b", BigDecimal.ONE),
            Map.entry("kb", BigDecimal.TEN.pow(3)), Map.entry("mb", BigDecimal.TEN.pow(6)),
            Map.entry("gb", BigDecimal.TEN.pow(9)), Map.entry("tb", BigDecimal.TEN.pow(12)),
            Map.entry("pb", BigDecimal.TEN.pow(15)),
            Map.entry("kib", BigDecimal.valueOf(2).pow(10)), Map.entry("mib", BigDecimal.valueOf(2).pow(20)),
            Map.entry("gib", BigDecimal.valueOf(2).pow(30)), Map.entry("tib", BigDecimal.valueOf(2).pow(40)),
            Map.entry("pib", BigDecimal.valueOf(2).pow(50)));

    private Sizes() {
    }

    /** Bytes, rounded down. @throws IllegalArgumentException when the text is not a size */
    public static long parse(String text) {
        Matcher m = SIZE.matcher(text);
        BigDecimal unit = m.matches() ? UNITS.get(m.group(2).toLowerCase(Locale.ROOT)) : null;
        if (unit == null) {
            throw new IllegalArgumentException("invalid size '" + text
                    + "': expected a number and a unit B, KB, MB, GB, TB, KiB, MiB, GiB or TiB, e.g. '50 GB'");
        }
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(unit);
        if (bytes.signum() == 0) {
            throw new IllegalArgumentException("invalid size '" + text + "': must be more than zero");
        }
        return bytes.longValue();
    }
}
