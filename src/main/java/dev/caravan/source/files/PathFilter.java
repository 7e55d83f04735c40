package dev.caravan.source.files;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code include} / {@code exclude} globs of a files source, matched against paths relative to
 * the source's {@code path} ({@link java.nio.file.FileSystem#getPathMatcher} "glob:" syntax). Two
 * conveniences make them read like .gitignore lines: a leading {@code **}{@code /} also matches at
 * the top level ({@code **}{@code /*.log} takes {@code a.log} too), and {@code dir/**} also matches
 * the directory {@code dir} itself, so it is pruned whole.
 */
final class PathFilter {
    private final List<PathMatcher> includes;
    private final List<PathMatcher> excludes;
    private final List<PathMatcher> excludedDirs;

    PathFilter(List<String> includes, List<String> excludes) {
        this.includes = matchers(includes, false);
        this.excludes = matchers(excludes, false);
        this.excludedDirs = matchers(excludes, true);
    }

    /** Globs the matcher cannot read (an unclosed '[' or '{'), one sentence each. */
    static List<String> problems(List<String> includes, List<String> excludes) {
        List<String> problems = new ArrayList<>();
        for (String key : List.of("include", "exclude")) {
            for (String g : key.equals("include") ? includes : excludes) {
                try {
                    matchers(List.of(g), false);
                } catch (PatternSyntaxException e) {
                    problems.add(key + ": '" + g + "' is not a valid glob: " + e.getDescription());
                }
            }
        }
        return problems;
    }

    boolean hasIncludes() {
        return !includes.isEmpty();
    }

    /** Whether {@code rel} (no trailing slash) is left out; a left-out directory is not walked. */
    boolean excluded(String rel, boolean directory) {
        Path p = Path.of(rel);
        return matches(excludes, p) || (directory && matches(excludedDirs, p));
    }

    /** Whether a non-directory entry is taken: always, unless include globs were given and none matches. */
    boolean included(String rel) {
        return includes.isEmpty() || matches(includes, Path.of(rel));
    }

    private static boolean matches(List<PathMatcher> matchers, Path p) {
        for (PathMatcher m : matchers) {
            if (m.matches(p)) {
                return true;
            }
        }
        return false;
    }

    private static List<PathMatcher> matchers(List<String> globs, boolean directoryForms) {
        List<String> patterns = new ArrayList<>();
        for (String glob : globs) {
            String g = glob.startsWith("/") ? glob.substring(1) : glob;
            if (directoryForms) {
                if (!g.endsWith("/**")) {
                    continue;
                }
                g = g.substring(0, g.length() - 3);
            }
            patterns.add(g);
            if (g.startsWith("**/")) {
                patterns.add(g.substring(3));
            }
        }
        List<PathMatcher> matchers = new ArrayList<>();
        for (String p : patterns) {
            if (!p.isEmpty()) {
                matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + p));
            }
        }
        return matchers;
    }
}
