package dev.caravan.source.postgres;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
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
        Optional<String> problem = problem(value);
        if (problem.isPresent()) {
            throw new IllegalArgumentException(who + ": " + problem.get());
        }
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    /** Why {@code value} names no format, or empty when it names one. */
    static Optional<String> problem(String value) {
        if (Arrays.stream(values()).anyMatch(f -> f.name().equalsIgnoreCase(value))) {
            return Optional.empty();
        }
        return Optional.of("format must be one of "
                + Arrays.stream(values()).map(f -> f.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "))
                + ", not '" + value + "'");
    }
}
