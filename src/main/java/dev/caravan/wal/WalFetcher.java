package dev.caravan.wal;

import dev.caravan.backup.Layout;
import dev.caravan.backup.Unpacker;
import dev.caravan.backup.WalSegment;
import dev.caravan.destination.Destination;
import dev.caravan.format.Compressors;
import dev.caravan.model.Plan;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** Downloads a source's archived WAL from one destination into a directory, decrypted and decompressed. */
public final class WalFetcher {
    private final Plan plan;
    private final String source;
    private final Unpacker unpacker;

    public WalFetcher(Plan plan, String source, Unpacker unpacker) {
        this.plan = plan;
        this.source = source;
        this.unpacker = unpacker;
    }

    /** Fetches every archived WAL file (segments and timeline history) into {@code dir}; returns how many. */
    public int fetch(Destination d, Path dir) throws IOException {
        Files.createDirectories(dir);
        String prefix = Layout.walPrefix(plan.name(), source);
        String encryption = !plan.encryption().enabled() ? "none" : plan.encryption().passphrase() != null ? "age-passphrase" : "age";
        int n = 0;
        List<Destination.StoredObject> objects = d.list(prefix);
        for (Destination.StoredObject o : objects) {
            String fileName = o.key().substring(prefix.length());
            String segment = WalSegment.nameOf(fileName);
            if (segment == null || fileName.contains("/")) {
                continue;
            }
            String algorithm = algorithmOf(WalSegment.compressionExtension(fileName, segment), o.key());
            String objectEncryption = fileName.endsWith(".age") ? encryption : "none";
            if (fileName.endsWith(".age") && "none".equals(encryption)) {
                throw new IOException(o.key() + " is encrypted but the plan no longer encrypts; cannot choose a key");
            }
            Path tmp = dir.resolve(segment + ".part");
            try (InputStream stored = d.open(o.key());
                 InputStream in = unpacker.open(stored, algorithm, objectEncryption, "WAL " + o.key())) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(tmp, dir.resolve(segment), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            n++;
        }
        return n;
    }

    private static String algorithmOf(String extension, String key) throws IOException {
        for (String name : Compressors.names()) {
            if (Compressors.get(name).extension().equals(extension)) {
                return name;
            }
        }
        throw new IOException(key + ": unknown compression extension '" + extension + "'");
    }
}
