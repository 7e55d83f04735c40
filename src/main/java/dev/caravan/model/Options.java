package dev.caravan.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The validated options of one source or destination block, keyed by option name. Values are
 * already converted to the type their {@link dev.caravan.spi.OptionDef} declares: String,
 * Integer, Long, Boolean, {@link Secret}, or an unmodifiable List of String.
 */
public final class Options {
    private final Map<String, Object> values;

    public Options(Map<String, ?> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static Options of(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return new Options(m);
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public Map<String, Object> asMap() {
        return values;
    }

    public Optional<String> string(String key) {
        Object v = values.get(key);
        if (v instanceof Secret s) {
            return Optional.of(s.reveal());
        }
        return Optional.ofNullable(v == null ? null : v.toString());
    }

    public String string(String key, String fallback) {
        return string(key).orElse(fallback);
    }

    public Optional<Secret> secret(String key) {
        Object v = values.get(key);
        if (v == null) {
            return Optional.empty();
        }
        return Optional.of(v instanceof Secret s ? s : new Secret(v.toString(), "plain text"));
    }

    public int integer(String key, int fallback) {
        Object v = values.get(key);
        return v == null ? fallback : ((Number) v).intValue();
    }

    public long longValue(String key, long fallback) {
        Object v = values.get(key);
        return v == null ? fallback : ((Number) v).longValue();
    }

    public boolean bool(String key, boolean fallback) {
        Object v = values.get(key);
        return v == null ? fallback : (Boolean) v;
    }

    @SuppressWarnings("unchecked")
    public List<String> strings(String key) {
        Object v = values.get(key);
        if (v == null) {
            return List.of();
        }
        return v instanceof List<?> l ? (List<String>) l : List.of(v.toString());
    }

    /** Printable form: secrets masked. */
    @Override
    public String toString() {
        return values.toString();
    }
}
