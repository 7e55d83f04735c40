package dev.caravan.destination.azure;

import com.azure.core.exception.HttpResponseException;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import dev.caravan.destination.Destination;
import dev.caravan.destination.DestinationException;
import dev.caravan.destination.ReadBack;
import dev.caravan.destination.RouteBeans;
import dev.caravan.io.Failures;
import dev.caravan.io.Sha256;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.component.azure.storage.blob.BlobConstants;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A container on Azure Blob Storage. Objects are published by Camel's azure-storage-blob component
 * ({@code routes/destination-azure.yaml}) as block blobs uploaded from the spooled file in blocks
 * (Put Block, then Put Block List). Publishing is atomic: staged blocks stay invisible until the block
 * list is committed, and the commit replaces the blob whole.
 */
public final class AzureDestination implements Destination {
    /**
     * Block size and single-shot limit of uploads. The SDK holds each block in flight in a heap buffer
     * (and a copy while it is sent), so an upload needs about {@code 2 x BLOCK_SIZE x} {@link #CONCURRENCY}
     * of heap whatever the object's size: 16 MiB. Was 8 MiB: those blocks, promoted while in flight, filled
     * the old generation and made the heap grow to its limit (docs/performance.md#memory).
     */
    static final long BLOCK_SIZE = 4L * 1024 * 1024;
    /** Blocks of one upload in flight at once (the route's {@code maxConcurrency}). */
    static final int CONCURRENCY = 2;

    private final String name;
    private final AzureSettings settings;
    private final BlobServiceClient client;
    private final BlobContainerClient container;
    private volatile boolean containerChecked;

    AzureDestination(String name, AzureSettings settings) {
        this.name = name;
        this.settings = settings;
        this.client = settings.client();
        this.container = client.getBlobContainerClient(settings.container());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String describe() {
        return "azure " + client.getAccountUrl() + "/" + settings.container() + "/" + settings.prefix();
    }

    @Override
    public String routeTemplate() {
        return "caravan-destination-azure";
    }

    @Override
    public void bind(CamelContext camel) {
        RouteBeans.bind(camel, bean("client"), client);
        Processor nameObject = RouteBeans.nameObject(BlobConstants.BLOB_NAME, settings.prefix());
        RouteBeans.bind(camel, bean("name"), (Processor) ex -> {
            ensureContainer();
            nameObject.process(ex);
        });
        RouteBeans.bind(camel, bean("failure"), RouteBeans.failure(this::sentence));
    }

    @Override
    public Map<String, Object> templateParameters() {
        return Map.of(
                "account", settings.accountName(client),
                "container", settings.container(),
                "client", bean("client"),
                "nameObject", bean("name"),
                "failure", bean("failure"),
                "blockSize", BLOCK_SIZE,
                "concurrency", CONCURRENCY);
    }

    private void ensureContainer() {
        if (!containerChecked && settings.createContainer()) {
            container.createIfNotExists();
        }
        containerChecked = true;
    }

    @Override
    public InputStream open(String key) throws IOException {
        try {
            return container.getBlobClient(settings.prefix() + key).openInputStream();
        } catch (BlobStorageException e) {
            if (e.getErrorCode() == BlobErrorCode.BLOB_NOT_FOUND || e.getErrorCode() == BlobErrorCode.CONTAINER_NOT_FOUND) {
                throw new NoSuchFileException(where() + "no object " + key);
            }
            throw new DestinationException(sentence(e), e);
        } catch (RuntimeException e) {
            throw new DestinationException(sentence(e), e);
        }
    }

    @Override
    public List<StoredObject> list(String prefix) throws IOException {
        List<StoredObject> out = new ArrayList<>();
        int cut = settings.prefix().length();
        try {
            for (BlobItem b : container.listBlobs(new ListBlobsOptions().setPrefix(settings.prefix() + prefix), null)) {
                out.add(new StoredObject(b.getName().substring(cut), b.getProperties().getContentLength()));
            }
        } catch (BlobStorageException e) {
            if (e.getErrorCode() == BlobErrorCode.CONTAINER_NOT_FOUND && settings.createContainer()) {
                return List.of(); // created on the first upload
            }
            throw new DestinationException(sentence(e), e);
        } catch (RuntimeException e) {
            throw new DestinationException(sentence(e), e);
        }
        out.sort(Comparator.comparing(StoredObject::key));
        return out;
    }

    /**
     * Blobs with staged blocks and no committed block list (an upload that died between Put Block and
     * Put Block List). They are invisible to reads and to {@link #list}; their blocks are kept, and
     * billed, until Azure drops them after a week. Listed with uncommitted blobs included, less the
     * committed ones.
     */
    @Override
    public List<StoredObject> listPartial(String prefix) throws IOException {
        java.util.Set<String> committed = new java.util.HashSet<>();
        list(prefix).forEach(o -> committed.add(o.key()));
        List<StoredObject> out = new ArrayList<>();
        int cut = settings.prefix().length();
        try {
            ListBlobsOptions all = new ListBlobsOptions().setPrefix(settings.prefix() + prefix)
                    .setDetails(new BlobListDetails().setRetrieveUncommittedBlobs(true));
            for (BlobItem b : container.listBlobs(all, null)) {
                String key = b.getName().substring(cut);
                if (!committed.contains(key)) {
                    out.add(new StoredObject(key, 0));
                }
            }
        } catch (BlobStorageException e) {
            if (e.getErrorCode() == BlobErrorCode.CONTAINER_NOT_FOUND) {
                return List.of();
            }
            throw new DestinationException(sentence(e), e);
        } catch (RuntimeException e) {
            throw new DestinationException(sentence(e), e);
        }
        out.sort(Comparator.comparing(StoredObject::key));
        return out;
    }

    /**
     * Drops the staged blocks of an uncommitted blob. A blob without a committed version cannot be
     * deleted as such, so an empty block list is committed first (the blob becomes empty, and its
     * uncommitted blocks are discarded), then the blob is deleted.
     */
    @Override
    public void deletePartial(String key) throws IOException {
        try {
            var blob = container.getBlobClient(settings.prefix() + key);
            if (!blob.exists()) {
                blob.getBlockBlobClient().commitBlockList(List.of(), false);
            }
            blob.deleteIfExists();
        } catch (BlobStorageException e) {
            if (e.getErrorCode() == BlobErrorCode.CONTAINER_NOT_FOUND) {
                return;
            }
            throw new DestinationException(sentence(e), e);
        } catch (RuntimeException e) {
            throw new DestinationException(sentence(e), e);
        }
    }

    @Override
    public void delete(String key) throws IOException {
        try {
            container.getBlobClient(settings.prefix() + key).deleteIfExists();
        } catch (BlobStorageException e) {
            if (e.getErrorCode() == BlobErrorCode.CONTAINER_NOT_FOUND) {
                return;
            }
            throw new DestinationException(sentence(e), e);
        } catch (RuntimeException e) {
            throw new DestinationException(sentence(e), e);
        }
    }

    /**
     * Reads the copy back as {@link ReadBack} does, but as the SDK's download stream, written through the
     * digest as it arrives: {@link #open}'s blob input stream collects every 4 MiB chunk into a growing
     * heap buffer first (over 1 GiB of garbage for a 577 MiB object, most of the heap a four-destination
     * run needed). Azure keeps no checksum it computed over a committed block blob, so the copy is read.
     */
    @Override
    public Optional<String> verifyUpload(String key, Path local, long bytes, String sha256) {
        MessageDigest md = Sha256.digest();
        long[] count = {0};
        OutputStream sink = new OutputStream() {
            @Override
            public void write(int b) {
                md.update((byte) b);
                count[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                md.update(b, off, len);
                count[0] += len;
            }
        };
        try {
            container.getBlobClient(settings.prefix() + key).downloadStream(sink);
        } catch (BlobStorageException e) {
            boolean missing = e.getErrorCode() == BlobErrorCode.BLOB_NOT_FOUND || e.getErrorCode() == BlobErrorCode.CONTAINER_NOT_FOUND;
            return Optional.of(name + ": cannot read " + key + ": " + (missing ? "no such blob" : e.getStatusCode() + " " + e.getErrorCode()));
        } catch (RuntimeException e) {
            return Optional.of(name + ": cannot read " + key + ": " + Failures.rootCause(e));
        }
        if (count[0] != bytes) {
            return Optional.of(name + ": " + key + " has " + count[0] + " bytes, expected " + bytes);
        }
        String got = Sha256.hex(md);
        if (!got.equals(sha256)) {
            return Optional.of(name + ": " + key + " checksum mismatch (SHA-256 " + got + ", expected " + sha256 + ")");
        }
        return Optional.empty();
    }

    /** One sentence for a failure of this destination. */
    @Override
    public String sentence(Throwable t) {
        String c = "container '" + settings.container() + "'";
        HttpResponseException http = RouteBeans.cause(t, HttpResponseException.class);
        if (http != null) {
            int status = http.getResponse() == null ? 0 : http.getResponse().getStatusCode();
            BlobStorageException blob = RouteBeans.cause(t, BlobStorageException.class);
            if (status == 403 || status == 401) {
                return where() + "access denied to " + c + " (check " + settings.credentialOptions() + ")";
            }
            if (blob != null && blob.getErrorCode() == BlobErrorCode.CONTAINER_NOT_FOUND) {
                return where() + c + " does not exist (create it, or set createContainer true)";
            }
            return where() + status + (blob != null ? " " + blob.getErrorCode() : "") + " from " + c;
        }
        return Failures.sentence("azure '" + name + "'", t);
    }

    private String where() {
        return "azure '" + name + "': ";
    }

    private String bean(String what) {
        return RouteBeans.name(this, "azure", what);
    }
}
