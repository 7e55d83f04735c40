package dev.caravan.destination;

import dev.caravan.model.DestinationSpec;
import dev.caravan.spi.OptionDef;

import java.util.List;

/** A kind of destination (local, s3, ...): DSL word, options, factory. Registered in {@link DestinationKinds}. */
public interface DestinationKind {

    String kind();

    String description();

    List<OptionDef> options();

    /** The rules {@link #problems} checks, one sentence each, for the DSL reference. */
    default List<String> rules() {
        return List.of();
    }

    /**
     * What makes this block impossible to run, beyond its options' types: options that go together,
     * ranges, required credentials. One sentence each, without the {@code kind 'name': } prefix.
     * The loader reports them when the plan loads (so {@code check} finds them); {@link #create}
     * refuses such a block with the same sentence. Never touches the network.
     */
    default List<String> problems(DestinationSpec spec) {
        return List.of();
    }

    Destination create(DestinationSpec spec);
}
