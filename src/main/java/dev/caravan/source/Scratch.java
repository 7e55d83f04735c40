package dev.caravan.source;

import dev.caravan.model.DrillSpec;

import java.io.IOException;

/**
 * A throw-away place one source is restored into during a drill: a temporary database, a
 * temporary redis-server, a temporary directory. Closing it removes everything it made. Each
 * {@link SourceKind} makes its own ({@link SourceKind#scratch}); the drill only sees this interface.
 */
public interface Scratch extends AutoCloseable {

    /** What the source's restore takes as {@code --to}: a database name, a URL or a directory. */
    String target();

    /** Runs one check against what was restored and returns the number it measured. */
    long measure(DrillSpec.Check check) throws IOException;

    @Override
    void close() throws IOException;

    /** The number a check printed: its first line, which must be a whole number. */
    static long number(DrillSpec.Check check, String output) throws IOException {
        String first = output.strip().lines().findFirst().orElse("").strip();
        try {
            return Long.parseLong(first);
        } catch (NumberFormatException e) {
            throw new IOException("check '" + check.what() + "' returned '" + first + "', not a whole number");
        }
    }
}
