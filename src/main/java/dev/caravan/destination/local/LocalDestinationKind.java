package dev.caravan.destination.local;

import dev.caravan.destination.Delivery;
import dev.caravan.destination.Destination;
import dev.caravan.destination.DestinationKind;
import dev.caravan.model.DestinationSpec;
import dev.caravan.spi.OptionDef;
import dev.caravan.spi.Rules;

import java.nio.file.Files;
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

    /** The path may not exist yet (it is created), but it cannot be a file. */
    @Override
    public List<String> rules() {
        return List.of(
                "path may be missing (it is created) but is not a file.");
    }

    @Override
    public List<String> problems(DestinationSpec spec) {
        Path path = Path.of(spec.options().string("path").orElseThrow());
        return new Rules().rule(Files.exists(path) && !Files.isDirectory(path), "path " + path + " is a file, not a directory").problems();
    }

    @Override
    public Destination create(DestinationSpec spec) {
        Rules.refuse("local '" + spec.name() + "'", problems(spec));
        return new LocalDestination(spec.name(), Path.of(spec.options().string("path").orElseThrow()));
    }
}
