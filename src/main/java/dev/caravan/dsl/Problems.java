package dev.caravan.dsl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Collects every problem of one load. The line of a problem found while the script runs comes
 * from the script's own stack frame (the innermost frame of the script class or its closures),
 * so the user sees the line they wrote and never a stack trace.
 */
final class Problems {
    private final String file;
    private final List<Problem> problems = new ArrayList<>();
    private String scriptClass = "\0";

    Problems(String file) {
        this.file = file;
    }

    /** Set once the script is compiled: frames of this class and its closures are the user's lines. */
    void scriptClass(String name) {
        this.scriptClass = name;
    }

    /** A problem at the line the script is executing now. */
    void add(String message, List<String> hints) {
        addAt(currentLine(), message, hints);
    }

    void add(String message) {
        add(message, List.of());
    }

    void addAt(int line, String message, List<String> hints) {
        problems.add(new Problem(file, line, message, hints));
    }

    void addAt(int line, String message) {
        addAt(line, message, List.of());
    }

    /** How many problems were found so far. */
    int count() {
        return problems.size();
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    /** In line order; problems on the same line keep the order they were found in. */
    List<Problem> sorted() {
        List<Problem> copy = new ArrayList<>(problems);
        copy.sort(Comparator.comparingInt(Problem::line));
        return copy;
    }

    /** The script line being executed, or 0 when called outside the script. */
    int currentLine() {
        return lineOf(new Throwable());
    }

    /** The innermost script line in a throwable's stack, or 0 when the script is not on it. */
    int lineOf(Throwable t) {
        for (StackTraceElement e : t.getStackTrace()) {
            String c = e.getClassName();
            if ((c.equals(scriptClass) || c.startsWith(scriptClass + "$")) && e.getLineNumber() > 0) {
                return e.getLineNumber();
            }
        }
        return 0;
    }
}
