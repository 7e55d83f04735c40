package dev.caravan.destination.local;

import dev.caravan.destination.Delivery;
import dev.caravan.destination.Destination;
import dev.caravan.destination.DestinationKind;
import dev.caravan.model.DestinationSpec;
import dev.caravan.spi.OptionDef;

import java.nio.file.Path;
import java.util.List;

import static dev.caravan.spi.OptionDef.Type.PATH;

/** {@code local('nas') { path '/mnt/nas/backups' }}: a directory, local disk or a mounted NAS. */
public final class LocalDestinationKind implements DestinationKind {
    static final List<OptionDef> OPTIONS = List.of(
            OptionDef.required("path", PATH, "Directory that holds the backups; created when missing.", "'/mnt/nas/backups'"));

    @Override
    public String kind() {
        return "local";
    }

    @Override
    public String description() {
        return "A directory on this machine: local disk or a mounted NAS share.";
    }

    @Override
    public List<OptionDef> options() {
        return Delivery.withCommon(OPTIONS);
    }

    @Override
    public Destination create(DestinationSpec spec) {
        return new LocalDestination(spec.name(), Path.of(spec.options().string("path").orElseThrow()));
    }
}
