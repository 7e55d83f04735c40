package dev.caravan.testing;

import com.google.cloud.ServiceRpc;
import com.google.cloud.storage.StorageOptions;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import com.google.cloud.storage.spi.StorageRpcFactory;

/**
 * Makes every Google Cloud Storage client built in the test JVM talk to google-cloud-nio's in-process
 * fake (LocalStorageHelper's shared FakeStorageRpc) instead of storage.googleapis.com. Registered in
 * {@code src/test/resources/META-INF/services/com.google.cloud.storage.spi.StorageRpcFactory}; the
 * client library looks its RPC factory up with the ServiceLoader. This is how a plan file's
 * {@code gcs('dr') { ... }} block reaches the fake in the cross-destination scenarios: no GCS emulator
 * with an HTTP endpoint can be installed here. No test talks to real GCS, so nothing else changes.
 */
public final class LocalGcsRpcFactory implements StorageRpcFactory {
    private final LocalStorageHelper.FakeStorageRpcFactory fake = new LocalStorageHelper.FakeStorageRpcFactory();

    @Override
    public ServiceRpc create(StorageOptions options) {
        return fake.create(options);
    }
}
