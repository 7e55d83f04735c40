package dev.caravan.destination.azure;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import dev.caravan.model.Options;
import dev.caravan.model.Secret;

import java.util.Optional;

/** The validated options of one azure destination, and the client they describe. */
record AzureSettings(String container, String prefix, boolean createContainer, String credentialOptions,
                     Optional<Secret> connectionString, Optional<String> account, Optional<Secret> accountKey,
                     Optional<Secret> sasToken, Optional<String> endpoint) {

    static AzureSettings from(String name, Options o) {
        String where = "azure '" + name + "': ";
        Optional<Secret> conn = o.secret("connectionString");
        Optional<String> account = o.string("account");
        Optional<Secret> key = o.secret("accountKey");
        Optional<Secret> sas = o.secret("sasToken");
        String check;
        if (conn.isPresent()) {
            if (account.isPresent() || key.isPresent() || sas.isPresent()) {
                throw new IllegalArgumentException(where + "give either connectionString or account with accountKey/sasToken, not both");
            }
            check = "connectionString";
        } else {
            if (account.isEmpty() && o.string("endpoint").isEmpty()) {
                throw new IllegalArgumentException(where + "needs connectionString, or account with accountKey or sasToken");
            }
            if (key.isPresent() == sas.isPresent()) {
                throw new IllegalArgumentException(where + "give exactly one of accountKey and sasToken with account");
            }
            if (key.isPresent() && account.isEmpty()) {
                throw new IllegalArgumentException(where + "accountKey needs account");
            }
            check = key.isPresent() ? "account/accountKey" : "sasToken";
        }
        return new AzureSettings(o.string("container").orElseThrow(), o.string("prefix", ""), o.bool("createContainer", true),
                check, conn, account, key, sas, o.string("endpoint"));
    }

    /** The account name for Camel's URI ({@code azure-storage-blob://account/container}). */
    String accountName(BlobServiceClient client) {
        return account.orElseGet(client::getAccountName);
    }

    BlobServiceClient client() {
        BlobServiceClientBuilder b = new BlobServiceClientBuilder();
        if (connectionString.isPresent()) {
            return b.connectionString(connectionString.get().reveal()).buildClient();
        }
        b.endpoint(endpoint.orElseGet(() -> "https://" + account.orElseThrow() + ".blob.core.windows.net"));
        if (accountKey.isPresent()) {
            b.credential(new StorageSharedKeyCredential(account.orElseThrow(), accountKey.get().reveal()));
        } else {
            b.sasToken(sasToken.orElseThrow().reveal());
        }
        return b.buildClient();
    }
}
