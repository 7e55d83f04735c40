package dev.caravan.dsl;

import java.util.List;

/**
 * One mistake in a plan file: where it is, what is wrong, and hints such as
 * {@code expected one of: ...} or {@code did you mean 'x'?}.
 *
 * @param file    the file name as the user gave it, e.g. {@code nightly.groovy}
 * @param line    1-based line of the mistake
 * @param message what is wrong, one sentence
 * @param hints   extra lines printed under the message, each indented by two spaces
 */
public record Problem(String file, int line, String message, List<String> hints) {
    public Problem {
        hints = List.copyOf(hints);
    }

    /** {@code file:LINE: message}, then one indented line per hint. */
    public String format() {
        StringBuilder sb = new StringBuilder().append(file).append(':').append(line).append(": ").append(message);
        for (String hint : hints) {
            sb.append("\n  ").append(hint);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return format();
    }
}
