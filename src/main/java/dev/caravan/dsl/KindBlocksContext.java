package dev.caravan.dsl;

import dev.caravan.model.Options;
import dev.caravan.spi.OptionDef;
import groovy.lang.Closure;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

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
    private final Function<Block, List<String>> rules;
    private final Map<String, String> usage = new LinkedHashMap<>();
    private final List<Block> blocks = new ArrayList<>();
    private final Map<String, Integer> names = new HashMap<>();
    private boolean declared;

    /** {@code rules}: what the block's kind says is wrong with the block as a whole (its cross-option rules). */
    KindBlocksContext(Loading loading, String noun, Map<String, List<OptionDef>> kinds, Function<Block, List<String>> rules) {
        super(loading);
        this.noun = noun;
        this.kinds = kinds;
        this.rules = rules;
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

    /** Other names people give a kind (another tool's word for it), suggested as the kind: never accepted as it. */
    Map<String, String> aliases() {
        return Map.of();
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
            problem("unknown " + noun + " kind '" + kind + "'", Suggest.hints(kind, kinds.keySet(), aliases()));
            return null;
        }
        Object[] a = array(args);
        Closure<?> body = closure(a);
        if (a.length != (body == null ? 1 : 2)) {
            problem(noun + " '" + kind + "' needs a name and a block", List.of("usage: " + usage.get(kind)));
            return null;
        }
        int line = loading.problems.currentLine();
        int before = loading.problems.count();
        String name = loading.name(noun, a[0]);
        String who = noun + " '" + (name == null ? text(a[0]) : name) + "'";
        OptionsBlockContext block = run(body, new OptionsBlockContext(loading, who, defs));
        block.checkRequired(line);
        if (name == null) {
            return null;
        }
        Integer first = names.putIfAbsent(name, line);
        if (first != null) {
            problem(noun + " '" + name + "' is declared twice (first at line " + first + ")");
            return null;
        }
        Block b = new Block(kind, name, line, block.options());
        blocks.add(b);
        if (loading.problems.count() == before) {      // the kind's rules read whole, well-typed options only
            checkRules(b, who);
        }
        return null;
    }

    /** The kind's rules for the whole block, each a problem at the block's line. */
    private void checkRules(Block b, String who) {
        List<String> broken;
        try {
            broken = rules.apply(b);
        } catch (RuntimeException e) {
            broken = List.of("cannot check its options: " + describe(e));
        }
        for (String p : broken) {
            loading.problems.addAt(b.line(), who + ": " + p);
        }
    }
}
