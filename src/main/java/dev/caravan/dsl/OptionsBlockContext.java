package dev.caravan.dsl;

import dev.caravan.model.Options;
import dev.caravan.model.Secret;
import dev.caravan.spi.OptionDef;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The options of one source or destination block, checked against its kind's {@link OptionDef}s:
 * unknown names, wrong types, options set twice and missing required options are problems.
 */
public final class OptionsBlockContext extends Context {
    private final String what;
    private final Map<String, OptionDef> defs = new LinkedHashMap<>();
    private final Map<String, String> usage = new LinkedHashMap<>();
    private final Map<String, Object> values = new LinkedHashMap<>();
    private final Set<String> given = new HashSet<>();

    OptionsBlockContext(Loading loading, String what, List<OptionDef> defs) {
        super(loading);
        this.what = what;
        for (OptionDef d : defs) {
            this.defs.put(d.name(), d);
            usage.put(d.name(), d.name() + " " + d.example());
        }
    }

    @Override
    String where() {
        return what + ": ";
    }

    @Override
    Map<String, String> keys() {
        return usage;
    }

    @Override
    public Object methodMissing(String name, Object args) {
        OptionDef def = defs.get(name);
        if (def == null) {
            problem("unknown option '" + name + "'", Suggest.hints(name, defs.keySet()));
            return null;
        }
        given.add(name);
        Object[] a = array(args);
        if (def.type() == OptionDef.Type.STRINGS) {
            addStrings(def, a);
            return null;
        }
        if (!once(name)) {
            return null;
        }
        Object value = a.length == 0 && def.type() == OptionDef.Type.BOOLEAN ? Boolean.TRUE
                : a.length == 1 ? convert(def, a[0]) : null;
        if (value == null) {
            problem("option '" + name + "' takes " + describe(def.type()), List.of("e.g. " + usage.get(name)));
        } else {
            values.put(name, value);
        }
        return null;
    }

    private void addStrings(OptionDef def, Object[] args) {
        @SuppressWarnings("unchecked")
        List<String> list = (List<String>) values.computeIfAbsent(def.name(), k -> new ArrayList<String>());
        List<Object> flat = new ArrayList<>();
        for (Object o : args) {
            if (o instanceof Collection<?> c) {
                flat.addAll(c);
            } else {
                flat.add(o);
            }
        }
        if (flat.isEmpty()) {
            problem("option '" + def.name() + "' takes " + describe(def.type()), List.of("e.g. " + usage.get(def.name())));
        }
        for (Object o : flat) {
            String s = text(o);
            if (s == null) {
                problem("option '" + def.name() + "' takes " + describe(def.type()) + ", not '" + o + "'",
                        List.of("e.g. " + usage.get(def.name())));
            } else {
                list.add(s);
            }
        }
    }

    /** The value in the type the option declares, or null when it does not fit. */
    private Object convert(OptionDef def, Object v) {
        return switch (def.type()) {
            case STRING, STRINGS -> text(v);
            case INT -> v instanceof Integer || v instanceof Long ? v : null;
            case BOOLEAN -> v instanceof Boolean ? v : null;
            case SECRET -> v instanceof Secret ? v : v instanceof CharSequence s ? new Secret(s.toString(), "plan file") : null;
            case PATH -> text(v) == null ? null : loading.resolve(text(v)).toString();
        };
    }

    private static String describe(OptionDef.Type type) {
        return switch (type) {
            case STRING -> "one string";
            case STRINGS -> "one or more strings";
            case INT -> "a whole number";
            case BOOLEAN -> "true or false (or nothing, meaning true)";
            case SECRET -> "a string, env('NAME') or secret('/path')";
            case PATH -> "a path (relative to the plan file's directory)";
        };
    }

    /** Records a problem at the block's line for each required option not written at all. */
    void checkRequired(int line) {
        for (OptionDef d : defs.values()) {
            if (d.required() && !given.contains(d.name())) {
                loading.problems.addAt(line, where() + "missing required option '" + d.name() + "'",
                        List.of("e.g. " + usage.get(d.name())));
            }
        }
    }

    Options options() {
        Map<String, Object> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> copy.put(k, v instanceof List<?> l ? List.copyOf(l) : v));
        return new Options(copy);
    }
}
