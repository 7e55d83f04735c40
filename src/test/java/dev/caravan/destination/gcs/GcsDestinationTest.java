package dev.caravan.destination.gcs;

import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import dev.caravan.destination.Destination;
import dev.caravan.destination.DestinationContract;
import dev.caravan.model.DestinationSpec;
import dev.caravan.model.Options;
import dev.caravan.model.Secret;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Against Google's in-process fake Storage (google-cloud-nio's LocalStorageHelper), handed to Camel's
 * component as its client: no GCS emulator with an HTTP endpoint can be installed here. The fake keeps
 * no buckets (any name works) and checks no credentials, so access-denied answers are not exercised.
 */
class GcsDestinationTest extends DestinationContract {

    @Override
    protected Destination newDestination() {
        Storage fresh = LocalStorageHelper.getOptions().getService();
        return new GcsDestination("dr", "backups-dr", "rpger/", fresh);
    }

    @Test
    void objects_land_under_the_prefix_in_the_bucket() throws Exception {
        Storage storage = LocalStorageHelper.getOptions().getService();
        Destination d = new GcsDestination("dr", "backups-dr", "rpger/", storage);
        Path f = randomFile("o.bin", 5 * 1024 * 1024 + 3, 11);
        publisher.save(publisher.register("p", d), "p/1/app.pgdump.zst.age", f);

        try (InputStream in = java.nio.channels.Channels.newInputStream(
                storage.reader(com.google.cloud.storage.BlobId.of("backups-dr", "rpger/p/1/app.pgdump.zst.age")))) {
            assertThat(sha256(in)).isEqualTo(sha256(Files.newInputStream(f)));
        }
    }

    @Test
    void credentials_that_are_neither_json_nor_a_readable_file_are_one_sentence() {
        assertThatThrownBy(() -> new GcsDestinationKind().create(new DestinationSpec("gcs", "dr", 1, Options.of(
                "bucket", "b", "credentials", new Secret("/etc/caravan/no-such-gcs.json", "secret(/etc/caravan/gcs.path)")))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("gcs 'dr': cannot read the credentials file named by secret(/etc/caravan/gcs.path): ")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> new GcsDestinationKind().create(new DestinationSpec("gcs", "dr", 1, Options.of(
                "bucket", "b", "credentials", new Secret("{\"type\": \"service_account\"}", "env(GCS_KEY)")))))
                .hasMessageStartingWith("gcs 'dr': cannot read the service-account JSON in credentials env(GCS_KEY): ");
    }
}
