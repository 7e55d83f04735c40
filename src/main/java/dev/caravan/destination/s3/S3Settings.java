package dev.caravan.destination.s3;

import dev.caravan.model.Options;
import dev.caravan.model.Secret;

import java.net.URI;
import java.util.Optional;

/** The validated options of one s3 destination. */
record S3Settings(String bucket, String region, String prefix, Optional<URI> endpoint,
                  Optional<Secret> accessKey, Optional<Secret> secretKey, Optional<String> storageClass,
                  Optional<String> serverSideEncryption, Optional<String> kmsKeyId, long partSizeBytes) {

    static final String DEFAULT_REGION = "us-east-1";
    static final int DEFAULT_PART_SIZE_MIB = 64;

    static S3Settings from(String name, Options o) {
        String where = "s3 '" + name + "': ";
        if (o.has("accessKey") != o.has("secretKey")) {
            throw new IllegalArgumentException(where + "accessKey and secretKey go together; give both or neither");
        }
        Optional<String> sse = o.string("serverSideEncryption");
        if (sse.isPresent() && !sse.get().equals("AES256") && !sse.get().equals("aws:kms")) {
            throw new IllegalArgumentException(where + "serverSideEncryption must be 'AES256' or 'aws:kms', not '" + sse.get() + "'");
        }
        if (sse.filter("aws:kms"::equals).isPresent() && !o.has("kmsKeyId")) {
            throw new IllegalArgumentException(where + "serverSideEncryption 'aws:kms' needs kmsKeyId");
        }
        int partMib = o.integer("partSize", DEFAULT_PART_SIZE_MIB);
        if (partMib < 5 || partMib > 5120) {
            throw new IllegalArgumentException(where + "partSize must be between 5 and 5120 MiB, not " + partMib);
        }
        return new S3Settings(o.string("bucket").orElseThrow(), o.string("region", DEFAULT_REGION), o.string("prefix", ""),
                o.string("endpoint").map(URI::create), o.secret("accessKey"), o.secret("secretKey"),
                o.string("storageClass"), sse, o.string("kmsKeyId"), partMib * 1024L * 1024L);
    }
}
