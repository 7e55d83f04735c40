package dev.caravan.destination.gcs;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import dev.caravan.destination.Destination;
import dev.caravan.destination.DestinationException;
import dev.caravan.destination.RouteBeans;
import dev.caravan.io.Failures;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.component.google.storage.GoogleCloudStorageConstants;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A bucket on Google Cloud Storage. Objects are published by Camel's google-storage component
 * ({@code routes/destination-gcs.yaml}), streamed from the spooled file through a resumable upload
 * with its length given up front. Publishing is atomic: a GCS object becomes visible, whole, only when
 * its upload is finalized; an upload that fails leaves the previous object (or none).
 */
public final class GcsDestination implements Destination {
    private final String name;
    private final String bucket;
    private final String prefix;
    private final Storage storage;

    GcsDestination(String name, String bucket, String prefix, Storage storage) {
        this.name = name;
        this.bucket = bucket;
        this.prefix = prefix;
        this.storage = storage;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String describe() {
        return "gcs gs://" + bucket + "/" + prefix;
    }

    @Override
    public String routeTemplate() {
        return "caravan-destination-gcs";
    }

    @Override
    public void bind(CamelContext camel) {
        RouteBeans.bind(camel, bean("client"), storage);
        Processor nameObject = RouteBeans.nameObject(GoogleCloudStorageConstants.OBJECT_NAME, prefix);
        RouteBeans.bind(camel, bean("name"), (Processor) ex -> {
            nameObject.process(ex);
            // with the length known, the component streams the file instead of reading it into memory to measure it
            ex.getIn().setHeader(GoogleCloudStorageConstants.CONTENT_LENGTH, ex.getIn().getHeader(LENGTH_HEADER, Long.class));
        });
        RouteBeans.bind(camel, bean("failure"), RouteBeans.failure(this::sentence));
    }

    @Override
    public Map<String, Object> templateParameters() {
        return Map.of("bucket", bucket, "client", bean("client"), "nameObject", bean("name"), "failure", bean("failure"));
    }

    @Override
    public InputStream open(String key) throws IOException {
        try {
            Blob blob = storage.get(BlobId.of(bucket, prefix + key));
            if (blob == null) {
                throw new NoSuchFileException(where() + "no object " + key);
            }
            return Channels.newInputStream(storage.reader(blob.getBlobId()));
        } catch (RuntimeException e) {
            throw new DestinationException(sentence(e), e);
        }
    }

    @Override
    public List<StoredObject> list(String keyPrefix) throws IOException {
        List<StoredObject> out = new ArrayList<>();
        try {
            for (Blob b : storage.list(bucket, Storage.BlobListOption.prefix(prefix + keyPrefix)).iterateAll()) {
                out.add(new StoredObject(b.getName().substring(prefix.length()), b.getSize()));
            }
        } catch (RuntimeException e) {
            throw new DestinationException(sentence(e), e);
        }
        out.sort(Comparator.comparing(StoredObject::key));
        return out;
    }

    @Override
    public void delete(String key) throws IOException {
        try {
            storage.delete(BlobId.of(bucket, prefix + key));
        } catch (RuntimeException e) {
            throw new DestinationException(sentence(e), e);
        }
    }

    /** One sentence for a failure of this destination. */
    @Override
    public String sentence(Throwable t) {
        StorageException e = RouteBeans.cause(t, StorageException.class);
        String b = "bucket '" + bucket + "'";
        if (e != null && (e.getCode() == 401 || e.getCode() == 403)) {
            return where() + "access denied to " + b + " (check credentials and the account's roles on the bucket)";
        }
        if (e != null && e.getCode() == 404) {
            return where() + b + " does not exist";
        }
        return Failures.sentence("gcs '" + name + "'" + (e != null ? ": " + e.getCode() + " from " + b : ""), t);
    }

    private String where() {
        return "gcs '" + name + "': ";
    }

    private String bean(String what) {
        return RouteBeans.name(this, "gcs", what);
    }
}
