package dev.caravan.backup;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.regex.Pattern;

/** A backup's id: its UTC start time, {@code 20250315T143022Z}; unique within a plan. */
public final class BackupId {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern SHAPE = Pattern.compile("\\d{8}T\\d{6}Z");

    private BackupId() {
    }

    public static String of(Instant time) {
        return FORMAT.format(time.truncatedTo(ChronoUnit.SECONDS));
    }

    /** The id for a run starting at {@code start}, moved on a second at a time past ids already taken. */
    public static String next(Instant start, Set<String> taken) {
        Instant t = start.truncatedTo(ChronoUnit.SECONDS);
        while (taken.contains(of(t))) {
            t = t.plusSeconds(1);
        }
        return of(t);
    }

    public static boolean isId(String s) {
        return SHAPE.matcher(s).matches();
    }

    public static Instant time(String id) {
        return FORMAT.parse(id, Instant::from);
    }
}
