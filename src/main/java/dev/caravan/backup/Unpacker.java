package dev.caravan.backup;

import dev.caravan.destination.Destination;
import dev.caravan.format.Age;
import dev.caravan.format.Compressors;
import dev.caravan.model.Encryption;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a stored object back into the source's dump: age-decrypt, then decompress, as the
 * manifest says. Keys: age identity files ({@code --identity}, {@code CARAVAN_AGE_IDENTITY}) or
 * the plan's passphrase.
 */
public final class Unpacker {
    private final List<Path> identities;
    private final Encryption planEncryption;

    public Unpacker(List<Path> identities, Encryption planEncryption) {
        List<Path> ids = new ArrayList<>(identities);
        String env = System.getenv("CARAVAN_AGE_IDENTITY");
        if (ids.isEmpty() && env != null && !env.isBlank()) {
            ids.add(Path.of(env));
        }
        this.identities = List.copyOf(ids);
        this.planEncryption = planEncryption;
    }

    /**
     * The dump of a deduplicated object ({@link Manifest.Entry#chunked()}): its chunks in order, each
     * read from the first destination of {@code order} that holds a good copy, each checked against its
     * name, the whole against the manifest's SHA-256 (see {@link ChunkReader}). The names of an encrypted
     * plan's chunks are checked with the manifest's chunk key, opened with the identities; without them
     * (or for a passphrase plan) only the whole is.
     */
    public InputStream openChunks(String plan, Manifest manifest, Manifest.Entry entry, List<Destination> order) throws IOException {
        String algorithm = manifest.compression().split(" ")[0];
        String what = "backup " + manifest.id() + " (" + entry.source() + ")";
        ChunkNames names = chunkNames(manifest);
        return new ChunkReader(plan, what, entry.chunks(), order, names,
                (stored, chunk) -> open(stored, algorithm, ChunkNames.encrypted(chunk) ? manifest.encryption() : "none",
                        what + " chunk " + chunk), entry.sha256());
    }

    /** The names to check chunks against, or null when the key cannot be opened here (no identity). */
    private ChunkNames chunkNames(Manifest m) throws IOException {
        String ext = ""; // only the hex part is compared
        if ("none".equals(m.encryption())) {
            return ChunkNames.plain(ext);
        }
        if (m.chunkKey() == null || identities.isEmpty()) {
            return null;
        }
        List<String> keys = new ArrayList<>();
        for (Path p : identities) {
            keys.add(Files.readString(p));
        }
        return ChunkNames.keyed(ChunkNames.unseal(m.chunkKey(), keys), ext);
    }

    public InputStream open(InputStream stored, Manifest manifest) throws IOException {
        return open(stored, manifest.compression().split(" ")[0], manifest.encryption(), "backup " + manifest.id());
    }

    /**
     * Same for an object without a manifest (an archived WAL segment): {@code compression} is an
     * algorithm name, {@code encryption} one of {@code none}, {@code age}, {@code age-passphrase}.
     */
    public InputStream open(InputStream stored, String compression, String encryption, String what) throws IOException {
        InputStream in = stored;
        switch (encryption) {
            case "none" -> { }
            case "age-passphrase" -> {
                if (planEncryption.passphrase() == null) {
                    throw new IOException(what + " is encrypted with a passphrase but the plan has none");
                }
                in = Age.decryptWithPassphrase(in, planEncryption.passphrase().reveal());
            }
            case "age" -> {
                if (identities.isEmpty()) {
                    throw new IOException(what + " is age-encrypted: give the identity (secret key) file"
                            + " with --identity FILE or CARAVAN_AGE_IDENTITY");
                }
                List<String> keys = new ArrayList<>();
                for (Path p : identities) {
                    keys.add(Files.readString(p));
                }
                in = Age.decrypt(in, keys);
            }
            default -> throw new IOException("unknown encryption '" + encryption + "' of " + what);
        }
        return Compressors.get(compression).decompress(in);
    }
}
