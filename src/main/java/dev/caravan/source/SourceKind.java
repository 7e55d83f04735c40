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

    Source create(SourceSpec spec);
}
