package dev.caravan.destination.s3;

import dev.caravan.io.Sha256;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gives every upload of a spooled file a SHA-256 that Caravan computed from that file, sent as the
 * {@code x-amz-checksum-sha256} header: the whole object's on a single PUT, each part's on a
 * multipart upload (created with checksum algorithm SHA256, completed with the parts' checksums).
 * The service recomputes the checksum over the bytes it received, refuses the request when they
 * differ, and keeps it with the object (for a multipart object the composite: the SHA-256 of the
 * parts' SHA-256s, suffixed {@code -N}), where {@link S3Destination#verifyUpload} reads it.
 *
 * <p>Camel's aws2-s3 producer builds the requests; this interceptor on the destination's client adds
 * the checksums to those whose key was registered by the route's naming step ({@link #uploading}).
 * Part {@code n} covers bytes {@code (n-1) * partSize} up to its content length, as the producer cuts
 * them; were that ever different, the service would refuse the part, not store a wrong one.
 *
 * <p>While the parts of one upload are read in order, the bytes also go through a SHA-256 of the
 * whole; when the upload completes, that digest, the byte count and the composite the parts make are
 * kept for {@link S3Destination#verifyUpload} ({@link #completed}), which then need not read the file
 * a third time.
 */
final class UploadChecksums implements ExecutionInterceptor {
    private final long partSize;
    /** Full object key -> the spooled file being uploaded under it. */
    private final Map<String, Path> files = new ConcurrentHashMap<>();
    /** Upload id -> part number -> base64 SHA-256 sent with that part. */
    private final Map<String, Map<Integer, String>> parts = new ConcurrentHashMap<>();
    /** Upload id -> the SHA-256 of the parts' bytes so far, while they come in order (the producer sends 1, 2, 3, ...). */
    private final Map<String, Whole> wholes = new ConcurrentHashMap<>();
    /** Full object key -> what the last completed multipart upload of it sent (taken by {@link #completed}). */
    private final Map<String, Sent> sent = new ConcurrentHashMap<>();

    private static final class Whole {
        final MessageDigest digest = Sha256.digest();
        int nextPart = 1;
        long bytes;
    }

    /**
     * A completed multipart upload: the SHA-256 (hex) and size of all the bytes its parts were read
     * from, and the composite checksum the service must keep for them (base64 SHA-256 of the parts'
     * SHA-256s, then {@code -N}).
     */
    record Sent(String sha256, long bytes, String composite) {
    }

    UploadChecksums(long partSize) {
        this.partSize = partSize;
    }

    /** The route is about to upload {@code file} as {@code objectKey}. */
    void uploading(String objectKey, Path file) {
        files.put(objectKey, file);
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        SdkRequest r = context.request();
        if (r instanceof PutObjectRequest put && put.checksumSHA256() == null && files.containsKey(put.key())) {
            Path file = files.get(put.key());
            return put.toBuilder().checksumAlgorithm((ChecksumAlgorithm) null)
                    .checksumSHA256(sha256(file, 0, put.contentLength() != null ? put.contentLength() : Long.MAX_VALUE)).build();
        }
        if (r instanceof CreateMultipartUploadRequest create && files.containsKey(create.key())) {
            sent.remove(create.key());
            return create.toBuilder().checksumAlgorithm(ChecksumAlgorithm.SHA256).build();
        }
        if (r instanceof UploadPartRequest part && part.checksumSHA256() == null && files.containsKey(part.key())) {
            long offset = (part.partNumber() - 1) * partSize;
            long length = part.contentLength() != null ? part.contentLength() : partSize;
            Whole whole = wholes.computeIfAbsent(part.uploadId(), id -> new Whole());
            boolean inOrder;
            synchronized (whole) {
                inOrder = whole.nextPart == part.partNumber();
                whole.nextPart = inOrder ? whole.nextPart + 1 : -1;
            }
            String sum = sha256(files.get(part.key()), offset, length, inOrder ? whole : null);
            parts.computeIfAbsent(part.uploadId(), id -> new ConcurrentHashMap<>()).put(part.partNumber(), sum);
            return part.toBuilder().checksumAlgorithm((ChecksumAlgorithm) null).checksumSHA256(sum).build();
        }
        if (r instanceof CompleteMultipartUploadRequest complete && parts.containsKey(complete.uploadId())
                && complete.multipartUpload() != null && complete.multipartUpload().parts() != null) {
            Map<Integer, String> sums = parts.get(complete.uploadId());
            List<CompletedPart> withSums = complete.multipartUpload().parts().stream()
                    .map(p -> p.toBuilder().checksumSHA256(sums.get(p.partNumber())).build()).toList();
            remember(complete.key(), wholes.get(complete.uploadId()), withSums);
            return complete.toBuilder().multipartUpload(complete.multipartUpload().toBuilder().parts(withSums).build()).build();
        }
        return r;
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        forget(context.request());
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        if (context.request() instanceof CompleteMultipartUploadRequest complete) {
            sent.remove(complete.key());
        }
        forget(context.request());
    }

    /**
     * What the last multipart upload of {@code objectKey} sent, when all its parts were read in order
     * (then verify after upload need not read the file again); taken, so asked once.
     */
    java.util.Optional<Sent> completed(String objectKey) {
        return java.util.Optional.ofNullable(sent.remove(objectKey));
    }

    private void remember(String objectKey, Whole whole, List<CompletedPart> withSums) {
        if (whole == null) {
            return;
        }
        MessageDigest composite = Sha256.digest();
        synchronized (whole) {
            if (whole.nextPart != withSums.size() + 1) {
                return; // a part was read out of order or is missing: verify reads the file instead
            }
            for (int i = 0; i < withSums.size(); i++) {
                CompletedPart p = withSums.get(i);
                if (p.partNumber() != i + 1 || p.checksumSHA256() == null) {
                    return;
                }
                composite.update(Base64.getDecoder().decode(p.checksumSHA256()));
            }
            sent.put(objectKey, new Sent(Sha256.hex(whole.digest), whole.bytes,
                    Base64.getEncoder().encodeToString(composite.digest()) + "-" + withSums.size()));
        }
    }

    /** An upload attempt is over (stored, failed or aborted): a retry registers its file again. */
    private void forget(SdkRequest r) {
        if (r instanceof PutObjectRequest put) {
            files.remove(put.key());
        } else if (r instanceof CompleteMultipartUploadRequest complete) {
            files.remove(complete.key());
            parts.remove(complete.uploadId());
            wholes.remove(complete.uploadId());
        } else if (r instanceof AbortMultipartUploadRequest abort) {
            files.remove(abort.key());
            parts.remove(abort.uploadId());
            wholes.remove(abort.uploadId());
            sent.remove(abort.key());
        }
    }

    /** Base64 SHA-256 of {@code length} bytes (or up to the end) of {@code file} from {@code offset}. */
    static String sha256(Path file, long offset, long length) {
        return sha256(file, offset, length, null);
    }

    /** As {@link #sha256(Path, long, long)}, also feeding the bytes read to {@code whole} when given. */
    private static String sha256(Path file, long offset, long length, Whole whole) {
        MessageDigest md = Sha256.digest();
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long pos = offset;
            long end = length == Long.MAX_VALUE ? ch.size() : offset + length;
            while (pos < end) {
                buf.clear().limit((int) Math.min(buf.capacity(), end - pos));
                int n = ch.read(buf, pos);
                if (n < 0) {
                    break;
                }
                pos += n;
                md.update(buf.array(), 0, n);
                if (whole != null) {
                    synchronized (whole) {
                        whole.digest.update(buf.array(), 0, n);
                        whole.bytes += n;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(md.digest());
    }
}
