package dev.caravan.dsl;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The hints under an "unknown X" problem: what was expected, and the likely intended word. */
public final class Suggest {
    private Suggest() {
    }

    /** {@code expected one of: a, b, c} and, when a known word is close, {@code did you mean 'b'?}. */
    static List<String> hints(String given, Collection<String> known) {
        return hints(given, known, Map.of());
    }

    /** The same, where {@code aliases} (other spelling -> known word) are tried before edit distance. */
    static List<String> hints(String given, Collection<String> known, Map<String, String> aliases) {
        List<String> hints = new ArrayList<>();
        if (!known.isEmpty()) {
            hints.add("expected one of: " + String.join(", ", known));
        }
        didYouMean(given, known, aliases).ifPresent(s -> hints.add("did you mean '" + s + "'?"));
        return hints;
    }

    /** Also for the service's application.properties keys. */
    public static Optional<String> didYouMean(String given, Collection<String> known) {
        return didYouMean(given, known, Map.of());
    }

    /**
     * The known word meant: the one an alias names when {@code given} is that alias (any case);
     * otherwise the closest known word or alias (an alias standing for its word) within an edit
     * distance of 2 (1 for words of three letters or fewer, where 2 changes make any word another),
     * or a known word that starts with the other.
     */
    static Optional<String> didYouMean(String given, Collection<String> known, Map<String, String> aliases) {
        String g = given.toLowerCase(Locale.ROOT);
        for (Map.Entry<String, String> a : aliases.entrySet()) {
            if (a.getKey().equalsIgnoreCase(g) && !a.getValue().equals(given)) {
                return Optional.of(a.getValue());
            }
        }
        int limit = g.length() <= 3 ? 1 : 2;
        Map<String, String> candidates = new LinkedHashMap<>();
        known.forEach(k -> candidates.put(k, k));
        aliases.forEach(candidates::putIfAbsent);
        return candidates.entrySet().stream()
                .filter(c -> !c.getValue().equals(given))
                .filter(c -> distance(g, c.getKey().toLowerCase(Locale.ROOT)) <= limit
                        || (g.length() >= 2 && known.contains(c.getKey())
                        && (c.getKey().toLowerCase(Locale.ROOT).startsWith(g) || g.startsWith(c.getKey().toLowerCase(Locale.ROOT)))))
                .min(Comparator.comparingInt((Map.Entry<String, String> c) -> distance(g, c.getKey().toLowerCase(Locale.ROOT)))
                        .thenComparing(c -> known.contains(c.getKey()) ? 0 : 1)
                        .thenComparing(Map.Entry::getKey))
                .map(Map.Entry::getValue);
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
