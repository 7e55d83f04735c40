package dev.caravan.destination.azure;

import dev.caravan.destination.Delivery;
import dev.caravan.destination.Destination;
import dev.caravan.destination.DestinationKind;
import dev.caravan.model.DestinationSpec;
import dev.caravan.spi.OptionDef;

import java.util.List;

import static dev.caravan.spi.OptionDef.Type.BOOLEAN;
import static dev.caravan.spi.OptionDef.Type.SECRET;
import static dev.caravan.spi.OptionDef.Type.STRING;

/** {@code azure('secondary') { container 'backups'; connectionString env('AZURE_STORAGE_CONNECTION_STRING') }}: Azure Blob Storage. */
public final class AzureDestinationKind implements DestinationKind {
    static final List<OptionDef> OPTIONS = List.of(
            OptionDef.required("container", STRING, "Blob container that holds the backups.", "'backups'"),
            OptionDef.optional("connectionString", SECRET,
                    "Storage account connection string (account, key or SAS, endpoint); the simplest way to connect.",
                    "env('AZURE_STORAGE_CONNECTION_STRING')"),
            OptionDef.optional("account", STRING, "Storage account name, with accountKey or sasToken instead of a connection string.", "'caravanbackups'"),
            OptionDef.optional("accountKey", SECRET, "Shared key of the storage account.", "secret('/etc/caravan/azure.key')"),
            OptionDef.optional("sasToken", SECRET,
                    "Shared access signature (container or account level, needs read, write, delete, list, and create for createContainer).",
                    "secret('/etc/caravan/azure.sas')"),
            OptionDef.optional("endpoint", STRING,
                    "Blob service URL for account + accountKey/sasToken (default https://<account>.blob.core.windows.net).",
                    "'https://caravanbackups.blob.core.windows.net'"),
            OptionDef.optional("prefix", STRING, "Prepended to every blob name; end it with '/' to get a folder.", "'rpger/'"),
            OptionDef.optional("createContainer", BOOLEAN, "Create the container on first upload when it is missing (default true).", "false"));

    @Override
    public String kind() {
        return "azure";
    }

    @Override
    public String description() {
        return "A container on Azure Blob Storage (block blobs).";
    }

    @Override
    public List<OptionDef> options() {
        return Delivery.withCommon(OPTIONS);
    }

    @Override
    public List<String> rules() {
        return List.of(
                "Give connectionString, or account with exactly one of accountKey and sasToken; not both ways.",
                "endpoint goes with account (not with connectionString) and is an http:// or https:// URL.");
    }

    @Override
    public List<String> problems(DestinationSpec spec) {
        return AzureSettings.problems(spec.options());
    }

    @Override
    public Destination create(DestinationSpec spec) {
        return new AzureDestination(spec.name(), AzureSettings.from(spec.name(), spec.options()));
    }
}
