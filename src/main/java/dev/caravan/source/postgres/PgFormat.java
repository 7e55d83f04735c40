package dev.caravan.source.postgres;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The pg_dump output formats Caravan stores, and the extension each gets. */
enum PgFormat {
    CUSTOM("c", "pgdump"),
    PLAIN("p", "sql"),
    DIRECTORY("d", "pgdir.tar");

    final String flag;
    final String extension;

    PgFormat(String flag, String extension) {
        this.flag = flag;
        this.extension = extension;
    }

    static PgFormat parse(String who, String value) {
        try {
            return valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(who + ": format must be one of "
                    + Arrays.stream(values()).map(f -> f.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "))
                    + ", not '" + value + "'", e);
        }
    }
}
