package dev.caravan.destination.s3;

import dev.caravan.model.Options;
import dev.caravan.model.Secret;
import dev.caravan.spi.Rules;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/** The validated options of one s3 destination. */
record S3Settings(String bucket, String region, String prefix, Optional<URI> endpoint,
                  Optional<Secret> accessKey, Optional<Secret> secretKey, Optional<String> storageClass,
                  Optional<String> serverSideEncryption, Optional<String> kmsKeyId, long partSizeBytes) {

    static final String DEFAULT_REGION = "us-east-1";
    static final int DEFAULT_PART_SIZE_MIB = 64;

    /** The rules of an s3 block (see {@link Rules}); {@link #from} refuses a block that breaks one. */
    static List<String> problems(Options o) {
        Optional<String> sse = o.string("serverSideEncryption");
        return new Rules()
                .rule(o.has("accessKey") != o.has("secretKey"), "accessKey and secretKey go together; give both or neither")
                .rule(sse.isPresent() && !sse.get().equals("AES256") && !sse.get().equals("aws:kms"),
                        "serverSideEncryption must be 'AES256' or 'aws:kms', not '" + sse.orElse("") + "'")
                .rule(sse.filter("aws:kms"::equals).isPresent() && !o.has("kmsKeyId"), "serverSideEncryption 'aws:kms' needs kmsKeyId")
                .rule(o.has("kmsKeyId") && !sse.filter("aws:kms"::equals).isPresent(), "kmsKeyId needs serverSideEncryption 'aws:kms'")
                .range(o, "partSize", 5, 5120)
                .httpUrl(o, "endpoint")
                .problems();
    }

    static S3Settings from(String name, Options o) {
        Rules.refuse("s3 '" + name + "'", problems(o));
        Optional<String> sse = o.string("serverSideEncryption");
        int partMib = o.integer("partSize", DEFAULT_PART_SIZE_MIB);
        return new S3Settings(o.string("bucket").orElseThrow(), o.string("region", DEFAULT_REGION), o.string("prefix", ""),
                o.string("endpoint").map(URI::create), o.secret("accessKey"), o.secret("secretKey"),
                o.string("storageClass"), sse, o.string("kmsKeyId"), partMib * 1024L * 1024L);
    }
}
