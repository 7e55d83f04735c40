package dev.caravan.destination.azure;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import dev.caravan.model.Options;
import dev.caravan.model.Secret;
import dev.caravan.spi.Rules;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The validated options of one azure destination, and the client they describe. */
record AzureSettings(String container, String prefix, boolean createContainer, String credentialOptions,
                     Optional<Secret> connectionString, Optional<String> account, Optional<Secret> accountKey,
                     Optional<Secret> sasToken, Optional<String> endpoint) {

    /** The rules of an azure block (see {@link Rules}); {@link #from} refuses a block that breaks one. */
    static List<String> problems(Options o) {
        boolean conn = o.has("connectionString");
        boolean account = o.has("account");
        boolean key = o.has("accountKey");
        boolean sas = o.has("sasToken");
        Rules rules = new Rules();
        if (conn) {
            rules.rule(account || key || sas, "give either connectionString or account with accountKey/sasToken, not both")
                    .rule(o.has("endpoint"), "endpoint goes with account and accountKey/sasToken; a connectionString names its own endpoint");
        } else if (!account && !o.has("endpoint")) {
            rules.rule(true, "needs connectionString, or account with accountKey or sasToken");
        } else {
            rules.rule(key == sas, "give exactly one of accountKey and sasToken with account")
                    .rule(key && !account, "accountKey needs account");
        }
        return rules.httpUrl(o, "endpoint").problems();
    }

    static AzureSettings from(String name, Options o) {
        Rules.refuse("azure '" + name + "'", problems(o));
        Optional<Secret> conn = o.secret("connectionString");
        Optional<String> account = o.string("account");
        Optional<Secret> key = o.secret("accountKey");
        Optional<Secret> sas = o.secret("sasToken");
        String check = conn.isPresent() ? "connectionString" : key.isPresent() ? "account/accountKey" : "sasToken";
        return new AzureSettings(o.string("container").orElseThrow(), o.string("prefix", ""), o.bool("createContainer", true),
                check, conn, account, key, sas, o.string("endpoint"));
    }

    /** The account name for Camel's URI ({@code azure-storage-blob://account/container}). */
    String accountName(BlobServiceClient client) {
        return account.orElseGet(client::getAccountName);
    }

    /**
     * The SDK's own retries, kept short: by default it tries each request 4 times, 4 to 120 s apart, so a
     * stopped server cost every request about 45 s and a run 3 minutes (FaultMatrixTest). Uploads are
     * retried by the destination's route ({@code retries}, Camel's redelivery); reads and listings get one
     * quick retry here.
     */
    static final RequestRetryOptions RETRIES = new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, 2, (Duration) null,
            Duration.ofMillis(500), Duration.ofSeconds(2), null);

    BlobServiceClient client() {
        BlobServiceClientBuilder b = new BlobServiceClientBuilder().retryOptions(RETRIES);
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
