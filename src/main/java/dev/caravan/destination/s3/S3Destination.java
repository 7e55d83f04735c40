package dev.caravan.destination.s3;

import dev.caravan.destination.Destination;
import dev.caravan.destination.DestinationException;
import dev.caravan.destination.RouteBeans;
import dev.caravan.io.Failures;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A bucket on S3 or an S3-compatible service. Objects are published by Camel's aws2-s3 component
 * ({@code routes/destination-s3.yaml}) straight from the spooled file: one PUT below the part size,
 * a multipart upload above it, so memory stays bounded whatever the object's size. S3 publishes
 * atomically by nature: an object (multipart or not) becomes visible whole when its upload completes,
 * and a failed multipart upload is aborted, so readers never see half an object. Every upload carries
 * a SHA-256 of its bytes that the service validates and keeps ({@link UploadChecksums}), so that
 * verify after upload need not download the copy.
 */
public final class S3Destination implements Destination {
    private final String name;
    private final S3Settings settings;
    private final UploadChecksums checksums;
    private final S3Client client;

    S3Destination(String name, S3Settings settings) {
        this.name = name;
        this.settings = settings;
        this.checksums = new UploadChecksums(settings.partSizeBytes());
        this.client = buildClient(settings, checksums);
    }

    private static S3Client buildClient(S3Settings s, UploadChecksums checksums) {
        S3ClientBuilder b = S3Client.builder().region(Region.of(s.region()))
                .overrideConfiguration(c -> c.addExecutionInterceptor(checksums));
        if (s.accessKey().isPresent()) {
            b.credentialsProvider(StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(s.accessKey().get().reveal(), s.secretKey().orElseThrow().reveal())));
        } else {
            b.credentialsProvider(DefaultCredentialsProvider.builder().build());
        }
        s.endpoint().ifPresent(uri -> b.endpointOverride(uri).forcePathStyle(true));
        return b.build();
    }

    @Override
    public String name() {
        return name;
    }

    /** Closes the SDK client and its connection pool. */
    @Override
    public void close() {
        client.close();
    }

    @Override
    public String describe() {
        return "s3 s3://" + settings.bucket() + "/" + settings.prefix() + settings.endpoint().map(e -> " at " + e).orElse("");
    }

    @Override
    public String routeTemplate() {
        return "caravan-destination-s3";
    }

    @Override
    public void bind(CamelContext camel) {
        RouteBeans.bind(camel, bean("client"), client);
        Processor nameObject = RouteBeans.nameObject(AWS2S3Constants.KEY, settings.prefix());
        RouteBeans.bind(camel, bean("name"), (Processor) ex -> {
            nameObject.process(ex);
            File file = ex.getIn().getBody(File.class);
            if (file != null) {
                checksums.uploading(ex.getIn().getHeader(AWS2S3Constants.KEY, String.class), file.toPath());
            }
        });
        RouteBeans.bind(camel, bean("failure"), RouteBeans.failure(this::sentence));
    }

    @Override
    public Map<String, Object> templateParameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("bucket", settings.bucket());
        p.put("client", bean("client"));
        p.put("nameObject", bean("name"));
        p.put("failure", bean("failure"));
        p.put("partSize", settings.partSizeBytes());
        settings.storageClass().ifPresent(c -> p.put("storageClass", c));
        settings.serverSideEncryption().ifPresent(sse -> {
            if (sse.equals("AES256")) {
                p.put("useSSES3", true);
            } else {
                p.put("useAwsKMS", true);
                p.put("kmsKeyId", settings.kmsKeyId().orElseThrow());
            }
        });
        return p;
    }

    @Override
    public InputStream open(String key) throws IOException {
        try {
            return client.getObject(r -> r.bucket(settings.bucket()).key(objectKey(key)));
        } catch (NoSuchKeyException e) {
            throw new NoSuchFileException(where() + "no object " + key);
        } catch (RuntimeException e) {
            throw new DestinationException(sentence(e), e);
        }
    }

    @Override
    public List<StoredObject> list(String prefix) throws IOException {
        List<StoredObject> out = new ArrayList<>();
        int cut = settings.prefix().length();
        try {
            for (S3Object o : client.listObjectsV2Paginator(r -> r.bucket(settings.bucket()).prefix(settings.prefix() + prefix)).contents()) {
                out.add(new StoredObject(o.key().substring(cut), o.size()));
            }
        } catch (RuntimeException e) {
            throw new DestinationException(sentence(e), e);
        }
        out.sort(Comparator.comparing(StoredObject::key));
        return out;
    }

    /**
     * Multipart uploads begun and never completed nor aborted (the process died mid-upload): their parts
     * are stored, and billed, until aborted. Keyed by the object they were for, with size 0 (the listing
     * does not say what their parts hold). A store that cannot list them (501) has none to show.
     */
    @Override
    public List<StoredObject> listPartial(String prefix) throws IOException {
        List<StoredObject> out = new ArrayList<>();
        int cut = settings.prefix().length();
        try {
            for (MultipartUpload u : client.listMultipartUploadsPaginator(r -> r.bucket(settings.bucket()).prefix(settings.prefix() + prefix)).uploads()) {
                StoredObject o = new StoredObject(u.key().substring(cut), 0);
                if (!out.contains(o)) {
                    out.add(o);
                }
            }
        } catch (S3Exception e) {
            if (e.statusCode() == 501) {
                return List.of();
            }
            throw new DestinationException(sentence(e), e);
        } catch (RuntimeException e) {
            throw new DestinationException(sentence(e), e);
        }
        out.sort(Comparator.comparing(StoredObject::key));
        return out;
    }

    /** Aborts every incomplete multipart upload of {@code key}, which frees its parts. */
    @Override
    public void deletePartial(String key) throws IOException {
        try {
            for (MultipartUpload u : client.listMultipartUploadsPaginator(r -> r.bucket(settings.bucket()).prefix(objectKey(key))).uploads()) {
                if (u.key().equals(objectKey(key))) {
                    client.abortMultipartUpload(r -> r.bucket(settings.bucket()).key(u.key()).uploadId(u.uploadId()));
                }
            }
        } catch (NoSuchUploadException gone) {
            // aborted or completed meanwhile
        } catch (RuntimeException e) {
            throw new DestinationException(sentence(e), e);
        }
    }

    @Override
    public void delete(String key) throws IOException {
        try {
            client.deleteObject(r -> r.bucket(settings.bucket()).key(objectKey(key)));
        } catch (RuntimeException e) {
            throw new DestinationException(sentence(e), e);
        }
    }

    /**
     * Compares the SHA-256 the service computed over what it received and kept with the object (see
     * {@link UploadChecksums}) with the same checksum computed from {@code local}, instead of downloading
     * the copy. For a multipart object that is the composite of the parts' SHA-256s, computed from
     * {@code local} cut at the part size, in the same pass that checks {@code local} against
     * {@code sha256}. A service that keeps no SHA-256 (S3-compatible stores without flexible checksums)
     * gets the default: the copy is read back.
     */
    @Override
    public Optional<String> verifyUpload(String key, Path local, long bytes, String sha256) {
        HeadObjectResponse head;
        try {
            head = client.headObject(r -> r.bucket(settings.bucket()).key(objectKey(key)).checksumMode(ChecksumMode.ENABLED));
        } catch (RuntimeException e) {
            return Optional.of(sentence(e));
        }
        if (head.contentLength() == null || head.contentLength() != bytes) {
            return Optional.of(name + ": " + key + " has " + head.contentLength() + " bytes, expected " + bytes);
        }
        String stored = head.checksumSHA256();
        if (stored == null) {
            return Destination.super.verifyUpload(key, local, bytes, sha256);
        }
        // the part sums sent with a multipart upload, read from the spool file as it went up, when they
        // were read from the file this object's size and SHA-256 describe: no third read of the file
        Optional<UploadChecksums.Sent> sent = checksums.completed(objectKey(key))
                .filter(u -> stored.contains("-") && u.bytes() == bytes && u.sha256().equals(sha256));
        String expected;
        try {
            expected = sent.isPresent() ? sent.get().composite()
                    : PartDigests.expected(local, bytes, sha256, settings.partSizeBytes(), stored);
        } catch (IOException | RuntimeException e) {
            return Optional.of(name + ": cannot check " + key + " against " + local + ": " + e.getMessage());
        }
        if (!stored.equals(expected)) {
            return Optional.of(name + ": " + key + " checksum mismatch (the service's SHA-256 " + stored + ", expected " + expected + ")");
        }
        return Optional.empty();
    }

    /** The client reads use; for tests and tools that need more than the interface (e.g. the ETag). */
    S3Client client() {
        return client;
    }

    /** The full key in the bucket: the prefix, then {@code key}. */
    String objectKey(String key) {
        return settings.prefix() + key;
    }

    /** One sentence for a failure of this destination. */
    @Override
    public String sentence(Throwable t) {
        S3Exception s3 = RouteBeans.cause(t, S3Exception.class);
        String bucket = "bucket '" + settings.bucket() + "'";
        if (s3 != null) {
            String code = s3.awsErrorDetails() == null ? "" : s3.awsErrorDetails().errorCode();
            if (s3.statusCode() == 403 || s3.statusCode() == 401) {
                return where() + "access denied to " + bucket + " ("
                        + (settings.accessKey().isPresent() ? "check accessKey/secretKey" : "check the AWS credentials of this machine") + ")";
            }
            if ("NoSuchBucket".equals(code)) {
                return where() + bucket + " does not exist" + (settings.endpoint().isPresent() ? " at " + settings.endpoint().get() : " in " + settings.region());
            }
            return where() + s3.statusCode() + " " + code + " from " + bucket + ": " + RouteBeans.firstLine(s3.getMessage());
        }
        SdkClientException client = RouteBeans.cause(t, SdkClientException.class);
        String network = Failures.network(t, settings.endpoint().map(u -> u.getAuthority()).orElse(null));
        if (network != null) {
            return where() + network;
        }
        if (client != null) {
            return where() + "cannot reach " + settings.endpoint().map(Object::toString).orElse("S3 in " + settings.region()) + ": " + RouteBeans.firstLine(client.getMessage());
        }
        return Failures.sentence("s3 '" + name + "'", t);
    }

    private String where() {
        return "s3 '" + name + "': ";
    }

    private String bean(String what) {
        return RouteBeans.name(this, "s3", what);
    }
}
