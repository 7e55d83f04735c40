package dev.caravan.model;

import java.util.Objects;

/**
 * A value read from {@code env('X')} or {@code secret('/path')}. Its {@link #toString()} never shows
 * the value, so a secret that ends up in a log line, a report or {@code info} output stays hidden.
 */
public final class Secret {
    private final String value;
    private final String origin;

    public Secret(String value, String origin) {
        this.value = Objects.requireNonNull(value, "value");
        this.origin = Objects.requireNonNull(origin, "origin");
    }

    /** The secret itself. Call only where the value is handed to the tool or library that needs it. */
    public String reveal() {
        return value;
    }

    /** Where the value came from, e.g. {@code env(PGPASSWORD)}; safe to print. */
    public String origin() {
        return origin;
    }

    @Override
    public String toString() {
        return "<secret " + origin + ">";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && s.value.equals(value) && s.origin.equals(origin);
    }

    @Override
    public int hashCode() {
        return Objects.hash(value, origin);
    }
}
