package dev.caravan.destination;

import dev.caravan.model.DestinationSpec;
import dev.caravan.spi.OptionDef;

import java.util.List;

/** A kind of destination (local, s3, ...): DSL word, options, factory. Registered in {@link DestinationKinds}. */
public interface DestinationKind {

    String kind();

    String description();

    List<OptionDef> options();

    Destination create(DestinationSpec spec);
}
