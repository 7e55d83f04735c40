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
 */
final class UploadChecksums implements ExecutionInterceptor {
    private final long partSize;
    /** Full object key -> the spooled file being uploaded under it. */
    private final Map<String, Path> files = new ConcurrentHashMap<>();
    /** Upload id -> part number -> base64 SHA-256 sent with that part. */
    private final Map<String, Map<Integer, String>> parts = new ConcurrentHashMap<>();

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
            return create.toBuilder().checksumAlgorithm(ChecksumAlgorithm.SHA256).build();
        }
        if (r instanceof UploadPartRequest part && part.checksumSHA256() == null && files.containsKey(part.key())) {
            long offset = (part.partNumber() - 1) * partSize;
            long length = part.contentLength() != null ? part.contentLength() : partSize;
            String sum = sha256(files.get(part.key()), offset, length);
            parts.computeIfAbsent(part.uploadId(), id -> new ConcurrentHashMap<>()).put(part.partNumber(), sum);
            return part.toBuilder().checksumAlgorithm((ChecksumAlgorithm) null).checksumSHA256(sum).build();
        }
        if (r instanceof CompleteMultipartUploadRequest complete && parts.containsKey(complete.uploadId())
                && complete.multipartUpload() != null && complete.multipartUpload().parts() != null) {
            Map<Integer, String> sums = parts.get(complete.uploadId());
            List<CompletedPart> withSums = complete.multipartUpload().parts().stream()
                    .map(p -> p.toBuilder().checksumSHA256(sums.get(p.partNumber())).build()).toList();
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
        forget(context.request());
    }

    /** An upload attempt is over (stored, failed or aborted): a retry registers its file again. */
    private void forget(SdkRequest r) {
        if (r instanceof PutObjectRequest put) {
            files.remove(put.key());
        } else if (r instanceof CompleteMultipartUploadRequest complete) {
            files.remove(complete.key());
            parts.remove(complete.uploadId());
        } else if (r instanceof AbortMultipartUploadRequest abort) {
            files.remove(abort.key());
            parts.remove(abort.uploadId());
        }
    }

    /** Base64 SHA-256 of {@code length} bytes (or up to the end) of {@code file} from {@code offset}. */
    static String sha256(Path file, long offset, long length) {
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
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(md.digest());
    }
}
