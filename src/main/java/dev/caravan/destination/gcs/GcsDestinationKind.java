package dev.caravan.destination.gcs;

import dev.caravan.destination.Delivery;
import dev.caravan.destination.Destination;
import dev.caravan.destination.DestinationKind;
import dev.caravan.model.DestinationSpec;
import dev.caravan.spi.OptionDef;

import java.util.List;

import static dev.caravan.spi.OptionDef.Type.SECRET;
import static dev.caravan.spi.OptionDef.Type.STRING;

/** {@code gcs('dr') { bucket 'backups-dr'; project 'p'; credentials secret('/etc/caravan/gcs.json') }}: Google Cloud Storage. */
public final class GcsDestinationKind implements DestinationKind {
    static final List<OptionDef> OPTIONS = List.of(
            OptionDef.required("bucket", STRING, "Bucket that holds the backups; it must exist.", "'backups-dr'"),
            OptionDef.optional("project", STRING, "Google Cloud project id (default: the one of the credentials).", "'my-project'"),
            OptionDef.optional("credentials", SECRET,
                    "Service-account key: the JSON itself or the path of its file; without it, Application Default Credentials are used.",
                    "secret('/etc/caravan/gcs.json')"),
            OptionDef.optional("prefix", STRING, "Prepended to every object name; end it with '/' to get a folder.", "'rpger/'"));

    @Override
    public String kind() {
        return "gcs";
    }

    @Override
    public String description() {
        return "A bucket on Google Cloud Storage.";
    }

    @Override
    public List<OptionDef> options() {
        return Delivery.withCommon(OPTIONS);
    }

    @Override
    public List<String> rules() {
        return List.of(
                "credentials, when given, is readable service-account JSON (or a file holding it).");
    }

    /** The credentials must be readable service-account JSON: the same reading the client does, without the network. */
    @Override
    public List<String> problems(DestinationSpec spec) {
        return spec.options().secret("credentials").flatMap(GcsClients::problem).stream().toList();
    }

    @Override
    public Destination create(DestinationSpec spec) {
        String name = spec.name();
        return new GcsDestination(name, spec.options().string("bucket").orElseThrow(), spec.options().string("prefix", ""),
                GcsClients.storage(name, spec.options().string("project"), spec.options().secret("credentials")));
    }
}
