package dev.caravan.service;

import dev.caravan.model.Durations;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * The {@code caravan.*} keys of the service's {@code application.properties} (the file Camel Main
 * reads for its {@code camel.*} keys), validated with the line of each problem: {@code FILE:LINE:
 * key: message}. Hand-written because {@link Properties} forgets where a key was; each logical line
 * is still parsed by {@link Properties} itself, so escapes and continuations mean what they mean to
 * Camel. The keys are declared once, in {@link #KEYS}, and docs/service.md lists them
 * ({@code DocsMatchCodeTest}-style check in {@code ServicePropertiesTest}).
 *
 * @param watchEvery how often the service looks at the plan file ({@code caravan.service.watchEvery})
 * @param checkEvery how often it runs its checks ({@code caravan.service.checkEvery})
 * @param camelRoutes whether Camel's route and exchange metrics (camel-micrometer) join /metrics ({@code caravan.metrics.camelRoutes})
 */
public record ServiceProperties(Duration watchEvery, Duration checkEvery, boolean camelRoutes) {
    public static final ServiceProperties DEFAULT = new ServiceProperties(Service.Timing.DEFAULT.watchEvery(),
            Service.Timing.DEFAULT.checkEvery(), true);

    /** Caravan's keys, each with what it takes and its default (the reference in docs/service.md). */
    public static final Map<String, String> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("caravan.service.watchEvery", "a duration (e.g. 2s), how often the plan file is looked at; default 2s");
        KEYS.put("caravan.service.checkEvery", "a duration (e.g. 1m), how often destinations, staleness, RPO and WAL lag are checked; default 1m");
        KEYS.put("caravan.metrics.camelRoutes", "true or false, Camel's route and exchange metrics on /metrics; default true");
    }

    /** A file with problems: every problem, each {@code FILE:LINE: key: message}. */
    public static final class Invalid extends Exception {
        public Invalid(String message) {
            super(message);
        }
    }

    public Service.Timing timing() {
        return new Service.Timing(watchEvery, checkEvery);
    }

    /** Reads and validates {@code file}; null reads as {@link #DEFAULT}. Collects every problem before failing. */
    public static ServiceProperties load(Path file) throws Invalid, IOException {
        if (file == null) {
            return DEFAULT;
        }
        List<String> problems = new ArrayList<>();
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Integer> lines = new LinkedHashMap<>();
        for (Entry entry : entries(file)) {
            for (String key : entry.properties().stringPropertyNames()) {
                if (key.startsWith("caravan.")) {
                    if (lines.containsKey(key)) {
                        problems.add(file + ":" + entry.line() + ": " + key + ": already set at line " + lines.get(key));
                        continue;
                    }
                    values.put(key, entry.properties().getProperty(key).strip());
                    lines.put(key, entry.line());
                }
            }
        }
        for (String key : lines.keySet()) {
            if (!KEYS.containsKey(key)) {
                String hint = dev.caravan.dsl.Suggest.didYouMean(key, KEYS.keySet()).map(s -> "; did you mean '" + s + "'?")
                        .orElse("; expected one of: " + String.join(", ", KEYS.keySet()));
                problems.add(file + ":" + lines.get(key) + ": " + key + ": unknown key" + hint);
            }
        }
        Duration watch = value(file, values, lines, problems, "caravan.service.watchEvery", Durations::parse, DEFAULT.watchEvery());
        Duration check = value(file, values, lines, problems, "caravan.service.checkEvery", Durations::parse, DEFAULT.checkEvery());
        Boolean camel = value(file, values, lines, problems, "caravan.metrics.camelRoutes", ServiceProperties::bool, DEFAULT.camelRoutes());
        if (!problems.isEmpty()) {
            throw new Invalid(String.join("\n", problems));
        }
        return new ServiceProperties(watch, check, camel);
    }

    /** The line of the first key that {@code matches} in {@code file}, or null. */
    static Integer lineOf(Path file, java.util.function.Predicate<String> matches) {
        try {
            for (Entry entry : entries(file)) {
                if (entry.properties().stringPropertyNames().stream().anyMatch(matches)) {
                    return entry.line();
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    private static <T> T value(Path file, Map<String, String> values, Map<String, Integer> lines, List<String> problems,
                               String key, Function<String, T> parse, T fallback) {
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return parse.apply(v);
        } catch (IllegalArgumentException e) {
            problems.add(file + ":" + lines.get(key) + ": " + key + ": " + e.getMessage());
            return fallback;
        }
    }

    private static Boolean bool(String v) {
        return switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("expected true or false, not '" + v + "'");
        };
    }

    /** One logical entry of a properties file: the line it starts on and what {@link Properties#load} reads from it. */
    private record Entry(int line, Properties properties) {
    }

    /** The file's logical entries in order (a continued line joined to the next), each read on its own so it keeps its line. */
    private static List<Entry> entries(Path file) throws IOException {
        List<String> raw = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            int first = i + 1;
            StringBuilder logical = new StringBuilder(raw.get(i));
            while (continues(logical) && i + 1 < raw.size()) {
                logical.append('\n').append(raw.get(++i));
            }
            Properties one = new Properties();
            one.load(new StringReader(logical.toString()));
            entries.add(new Entry(first, one));
        }
        return entries;
    }

    /** A line ending in an odd number of backslashes continues on the next (as {@link Properties#load} reads it). */
    private static boolean continues(CharSequence line) {
        int n = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            n++;
        }
        return n % 2 == 1;
    }
}
