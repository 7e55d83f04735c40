package dev.caravan.dsl;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The hints under an "unknown X" problem: what was expected, and the likely intended word. */
final class Suggest {
    private Suggest() {
    }

    /** {@code expected one of: a, b, c} and, when a known word is close, {@code did you mean 'b'?}. */
    static List<String> hints(String given, Collection<String> known) {
        List<String> hints = new ArrayList<>();
        if (!known.isEmpty()) {
            hints.add("expected one of: " + String.join(", ", known));
        }
        didYouMean(given, known).ifPresent(s -> hints.add("did you mean '" + s + "'?"));
        return hints;
    }

    /** The closest known word within an edit distance of 2, or one that starts with the other. */
    static Optional<String> didYouMean(String given, Collection<String> known) {
        String g = given.toLowerCase();
        return known.stream()
                .filter(k -> !k.equals(given))
                .filter(k -> distance(g, k.toLowerCase()) <= 2
                        || (g.length() >= 2 && (k.toLowerCase().startsWith(g) || g.startsWith(k.toLowerCase()))))
                .min(Comparator.comparingInt(k -> distance(g, k.toLowerCase())));
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
