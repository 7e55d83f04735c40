package dev.caravan.spi;

import dev.caravan.model.Options;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules a kind's block must keep beyond its options' types: options that go together or
 * exclude each other, ranges, required credentials. A kind writes its rules once, in one method
 * returning {@link #problems()}; the DSL loader reports them as {@code FILE:LINE: message} when
 * the plan loads (so {@code check} finds them), and the kind's factory {@link #refuse refuses} a
 * block that breaks one, with the same sentence. Rules are pure: they never touch the network.
 */
public final class Rules {
    private final List<String> problems = new ArrayList<>();

    /** Records {@code problem} when {@code broken}. */
    public Rules rule(boolean broken, String problem) {
        if (broken) {
            problems.add(problem);
        }
        return this;
    }

    /** A whole-number option, when given, lies in {@code min..max}. */
    public Rules range(Options o, String key, long min, long max) {
        if (o.has(key)) {
            long v = o.longValue(key, min);
            rule(v < min || v > max, key + " must be from " + min + " to " + max + ", not " + v);
        }
        return this;
    }

    /** A whole-number option, when given, is {@code min} or more. */
    public Rules atLeast(Options o, String key, long min) {
        if (o.has(key)) {
            long v = o.longValue(key, min);
            rule(v < min, key + " must be " + min + " or more, not " + v);
        }
        return this;
    }

    /** A URL option, when given, is an absolute http:// or https:// URL with a host. */
    public Rules httpUrl(Options o, String key) {
        o.string(key).ifPresent(u -> rule(!isHttpUrl(u), key + " must be an http:// or https:// URL, not '" + u + "'"));
        return this;
    }

    /** Adds problems found elsewhere (a shared rule set). */
    public Rules addAll(List<String> more) {
        problems.addAll(more);
        return this;
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }

    /**
     * For a kind's factory: throws the first problem as one sentence naming the block
     * ({@code s3 'offsite': partSize must be ...}), or returns when there is none.
     */
    public static void refuse(String who, List<String> problems) {
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(who + ": " + problems.get(0));
        }
    }

    private static boolean isHttpUrl(String u) {
        try {
            URI uri = new URI(u);
            return ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme())) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
