package dev.caravan.backup;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;

/**
 * {@code manifest.json}: what one backup holds. Written last to each destination, and only once
 * every object there was stored (and, with {@code verify { afterUpload true }}, read back and
 * matched); a backup folder without it is incomplete and never listed as good.
 *
 * @param format      {@value #FORMAT}
 * @param plan        plan name
 * @param id          the UTC start time, {@code 20250315T143022Z}
 * @param type        {@code full}, or {@code incremental} (its {@code files} sources hold only what changed since {@code parent})
 * @param label       {@code manual}, {@code scheduled}, {@code pre-restore}, or the operator's {@code --label}
 * @param note        the operator's {@code --note}, or null
 * @param started     ISO-8601 instant
 * @param finished    ISO-8601 instant
 * @param compression e.g. {@code zstd level 3}
 * @param encryption  {@code age}, {@code age-passphrase} or {@code none}
 * @param recipients  age recipients (public keys), or the passphrase's origin; never a secret
 * @param objects     one per source
 * @param caravan     version of Caravan that wrote it
 * @param parent      for an incremental: the id of the previous backup of its chain; else null
 * @param chain       for an incremental: the id of the full its chain starts from; else null
 * @param chunkKey    for a deduplicated ({@code dedup true}), encrypted plan: the key that names its chunks
 *                    (HMAC-SHA256), age-encrypted to the plan's recipients and base64-encoded; never in the
 *                    clear. Null otherwise (an unencrypted plan names chunks by their plain SHA-256)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Manifest(String format, String plan, String id, String type, String label, String note,
                       String started, String finished, String compression, String encryption,
                       List<String> recipients, List<Entry> objects, String caravan, String parent, String chain,
                       String chunkKey) {
    public static final String FORMAT = "caravan-manifest/1";
    public static final String FULL = "full";
    public static final String INCREMENTAL = "incremental";

    /** A manifest of a plan without {@code dedup}. */
    public Manifest(String format, String plan, String id, String type, String label, String note,
                    String started, String finished, String compression, String encryption,
                    List<String> recipients, List<Entry> objects, String caravan, String parent, String chain) {
        this(format, plan, id, type, label, note, started, finished, compression, encryption, recipients, objects, caravan,
                parent, chain, null);
    }

    /** A full backup's manifest. */
    public Manifest(String format, String plan, String id, String type, String label, String note,
                    String started, String finished, String compression, String encryption,
                    List<String> recipients, List<Entry> objects, String caravan) {
        this(format, plan, id, type, label, note, started, finished, compression, encryption, recipients, objects, caravan,
                null, null, null);
    }

    public boolean incremental() {
        return INCREMENTAL.equals(type);
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * One stored object.
     *
     * @param source     source name
     * @param type       source kind ({@code files}, {@code postgres}, ...)
     * @param tool       the dump tool and its version
     * @param object     object name in the backup folder, e.g. {@code chroma.tar.zst.age}
     * @param bytes      stored size
     * @param sha256     SHA-256 of the stored bytes (hex)
     * @param dumpBytes  size of the dump before compression and encryption
     * @param index      for a source of an incremental plan: the object holding its file index and
     *                   deletions, e.g. {@code chroma.index.jsonl.zst.age}; else null
     * @param indexBytes stored size of the index object
     * @param indexSha256 SHA-256 of the stored index object (hex)
     * @param walStart   for a base backup ({@code continuous true}): the WAL segment it starts from, e.g.
     *                   {@code 000000010000000000000003}; archived WAL before it is not needed to restore it.
     *                   Null for other sources and in manifests written before Caravan recorded it
     * @param chunks     for a deduplicated object ({@code dedup true}): the names of its chunks under
     *                   {@code <plan>/chunks/}, in order; the dump is their plain contents joined. Then
     *                   {@code object} is the dump's name ({@code db.sql}, stored nowhere as such),
     *                   {@code bytes} the stored size of all its chunks and {@code sha256} the SHA-256 of the
     *                   whole dump. Null for an object stored whole
     * @param newBytes   for a deduplicated object: the stored bytes of the chunks this backup was the first to store
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(String source, String type, String tool, String object, long bytes, String sha256, long dumpBytes,
                        String index, Long indexBytes, String indexSha256, String walStart, List<String> chunks,
                        Long newBytes) {
        public Entry(String source, String type, String tool, String object, long bytes, String sha256, long dumpBytes,
                     String index, Long indexBytes, String indexSha256, String walStart) {
            this(source, type, tool, object, bytes, sha256, dumpBytes, index, indexBytes, indexSha256, walStart, null, null);
        }

        public Entry(String source, String type, String tool, String object, long bytes, String sha256, long dumpBytes) {
            this(source, type, tool, object, bytes, sha256, dumpBytes, null, null, null);
        }

        public Entry(String source, String type, String tool, String object, long bytes, String sha256, long dumpBytes,
                     String index, Long indexBytes, String indexSha256) {
            this(source, type, tool, object, bytes, sha256, dumpBytes, index, indexBytes, indexSha256, null);
        }

        /** Whether this object is stored as chunks ({@code dedup true}) rather than whole. */
        public boolean chunked() {
            return chunks != null;
        }

        /** Whether this object holds only the changes since the parent (in an incremental backup). */
        public boolean hasIndex() {
            return index != null;
        }
    }

    public long totalBytes() {
        return objects.stream().mapToLong(e -> e.bytes() + (e.indexBytes() == null ? 0 : e.indexBytes())).sum();
    }

    /** The dumps' total size before compression and encryption. */
    public long logicalBytes() {
        return objects.stream().mapToLong(Entry::dumpBytes).sum();
    }

    /** Whether any object of this backup is stored as chunks. */
    public boolean chunked() {
        return objects.stream().anyMatch(Entry::chunked);
    }

    public Optional<Entry> object(String source) {
        return objects.stream().filter(e -> e.source().equals(source)).findFirst();
    }

    public void write(OutputStream out) throws IOException {
        JSON.writeValue(out, this);
    }

    /** Reads a manifest; one that does not parse, or is not a Caravan manifest, is {@link Unreadable}. */
    public static Manifest read(InputStream in) throws IOException {
        Manifest m;
        try {
            m = JSON.readValue(in, Manifest.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new Unreadable("not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (m == null || m.format() == null || !m.format().startsWith("caravan-manifest/")) {
            throw new Unreadable("not a Caravan manifest (format " + (m == null ? null : m.format()) + ")", null);
        }
        return m;
    }

    /** A manifest that was read whole but is damaged: not JSON, or not a Caravan manifest. */
    public static final class Unreadable extends IOException {
        private static final long serialVersionUID = 1L;

        Unreadable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public static ObjectMapper json() {
        return JSON;
    }
}
