package dev.caravan.destination.s3;

import dev.caravan.destination.Delivery;
import dev.caravan.destination.Destination;
import dev.caravan.destination.DestinationKind;
import dev.caravan.model.DestinationSpec;
import dev.caravan.spi.OptionDef;

import java.util.List;

import static dev.caravan.spi.OptionDef.Type.INT;
import static dev.caravan.spi.OptionDef.Type.SECRET;
import static dev.caravan.spi.OptionDef.Type.STRING;

/** {@code s3('primary') { bucket 'backups'; region 'eu-west-1'; prefix 'rpger/' }}: Amazon S3 or an S3-compatible store. */
public final class S3DestinationKind implements DestinationKind {
    static final List<OptionDef> OPTIONS = List.of(
            OptionDef.required("bucket", STRING, "Bucket that holds the backups; it must exist.", "'backups'"),
            OptionDef.optional("region", STRING, "AWS region of the bucket (default us-east-1).", "'eu-west-1'"),
            OptionDef.optional("prefix", STRING, "Prepended to every object key; end it with '/' to get a folder.", "'rpger/'"),
            OptionDef.optional("endpoint", STRING,
                    "URL of an S3-compatible service (MinIO, Ceph, Wasabi, ...); path-style addressing is used with it.",
                    "'http://127.0.0.1:9000'"),
            OptionDef.optional("accessKey", SECRET,
                    "Access key id; without accessKey/secretKey the AWS default credential chain is used (env, profile, instance role).",
                    "env('AWS_ACCESS_KEY_ID')"),
            OptionDef.optional("secretKey", SECRET, "Secret access key that goes with accessKey.", "secret('/etc/caravan/s3.key')"),
            OptionDef.optional("storageClass", STRING,
                    "Storage class of new objects, e.g. STANDARD_IA, GLACIER_IR, DEEP_ARCHIVE (default: the bucket's).", "'STANDARD_IA'"),
            OptionDef.optional("serverSideEncryption", STRING,
                    "Encryption at rest by S3: AES256 (S3-managed keys) or aws:kms (needs kmsKeyId).", "'AES256'"),
            OptionDef.optional("kmsKeyId", STRING, "KMS key id or ARN for serverSideEncryption 'aws:kms'.", "'arn:aws:kms:eu-west-1:111122223333:key/abcd'"),
            OptionDef.optional("partSize", INT,
                    "Multipart part size in MiB (5 to 5120, default 64); objects above it upload in parts, streamed from disk.", "64"));

    @Override
    public String kind() {
        return "s3";
    }

    @Override
    public String description() {
        return "A bucket on Amazon S3 or an S3-compatible service (MinIO, Ceph, Wasabi, Backblaze B2, ...).";
    }

    @Override
    public List<OptionDef> options() {
        return Delivery.withCommon(OPTIONS);
    }

    @Override
    public List<String> rules() {
        return List.of(
                "accessKey and secretKey go together: give both or neither.",
                "serverSideEncryption is 'AES256' or 'aws:kms'; 'aws:kms' needs kmsKeyId, and kmsKeyId needs 'aws:kms'.",
                "partSize is from 5 to 5120 (MiB).",
                "endpoint is an http:// or https:// URL.");
    }

    @Override
    public List<String> problems(DestinationSpec spec) {
        return S3Settings.problems(spec.options());
    }

    @Override
    public Destination create(DestinationSpec spec) {
        return new S3Destination(spec.name(), S3Settings.from(spec.name(), spec.options()));
    }
}
