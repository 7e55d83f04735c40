package dev.caravan.source;

import dev.caravan.model.SourceSpec;
import dev.caravan.spi.OptionDef;

import java.util.List;

/**
 * A kind of source (files, postgres, ...): the DSL name, the options its block accepts, and how to
 * make a {@link Source} from a validated block. Registered in {@link SourceKinds}.
 */
public interface SourceKind {

    /** The DSL word: {@code files}, {@code postgres}, ... */
    String kind();

    /** One sentence for the DSL reference. */
    String description();

    List<OptionDef> options();

    /** The rules {@link #problems} checks, one sentence each, for the DSL reference. */
    default List<String> rules() {
        return List.of();
    }

    /**
     * What makes this block impossible to run, beyond its options' types: options that exclude each
     * other, ranges, values the tool would refuse. One sentence each, without the {@code kind 'name': }
     * prefix. The loader reports them when the plan loads (so {@code check} finds them);
     * {@link #create} refuses such a block with the same sentence. Never touches the network.
     */
    default List<String> problems(SourceSpec spec) {
        return List.of();
    }

    Source create(SourceSpec spec);
}
