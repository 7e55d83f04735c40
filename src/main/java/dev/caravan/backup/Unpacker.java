package dev.caravan.backup;

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
