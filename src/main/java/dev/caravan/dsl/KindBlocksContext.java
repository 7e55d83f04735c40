package dev.caravan.dsl;

import dev.caravan.model.Options;
import dev.caravan.spi.OptionDef;
import groovy.lang.Closure;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A block of named kind blocks, {@code sources { files('a') { } }} or {@code destinations { local('b') { } }}.
 * Kinds come from a registry and each kind's options from its {@link OptionDef}s, so a new kind
 * needs no change here.
 */
abstract class KindBlocksContext extends Context {
    /** One validated kind block. */
    record Block(String kind, String name, int line, Options options) {
    }

    private final String noun;
    private final Map<String, List<OptionDef>> kinds;
    private final Map<String, String> usage = new LinkedHashMap<>();
    private final List<Block> blocks = new ArrayList<>();
    private final Map<String, Integer> names = new HashMap<>();
    private boolean declared;

    KindBlocksContext(Loading loading, String noun, Map<String, List<OptionDef>> kinds) {
        super(loading);
        this.noun = noun;
        this.kinds = kinds;
        kinds.keySet().forEach(k -> usage.put(k, k + "('name') { ... }"));
    }

    @Override
    String where() {
        return "";
    }

    @Override
    Map<String, String> keys() {
        return usage;
    }

    List<Block> blocks() {
        return blocks;
    }

    /** Whether the block declared anything, even something with problems of its own. */
    boolean declaredAny() {
        return declared;
    }

    @Override
    public Object methodMissing(String kind, Object args) {
        declared = true;
        List<OptionDef> defs = kinds.get(kind);
        if (defs == null) {
            problem("unknown " + noun + " kind '" + kind + "'", Suggest.hints(kind, kinds.keySet()));
            return null;
        }
        Object[] a = array(args);
        Closure<?> body = closure(a);
        if (a.length != (body == null ? 1 : 2)) {
            problem(noun + " '" + kind + "' needs a name and a block", List.of("usage: " + usage.get(kind)));
            return null;
        }
        int line = loading.problems.currentLine();
        String name = loading.name(noun, a[0]);
        OptionsBlockContext block = run(body, new OptionsBlockContext(loading,
                noun + " '" + (name == null ? text(a[0]) : name) + "'", defs));
        block.checkRequired(line);
        if (name == null) {
            return null;
        }
        Integer first = names.putIfAbsent(name, line);
        if (first != null) {
            problem(noun + " '" + name + "' is declared twice (first at line " + first + ")");
        } else {
            blocks.add(new Block(kind, name, line, block.options()));
        }
        return null;
    }
}
