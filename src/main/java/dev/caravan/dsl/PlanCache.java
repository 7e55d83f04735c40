package dev.caravan.dsl;

import groovy.lang.GroovyClassLoader;
import groovy.lang.GroovySystem;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.CodeSource;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The compiled classes of plan files that compiled cleanly, so that running a plan again skips the
 * Groovy compiler (about two seconds of CPU per command). An entry is keyed by the SHA-256 of the
 * file's name and bytes, Caravan's code (location, size, time) and the Groovy version: any edit, or
 * another build of Caravan, is a miss and compiles again. Each entry ends with the SHA-256 of its
 * bytes: a torn or damaged entry is never run, the file is compiled again. Only successful compiles are stored, so
 * every problem in a file is still reported from the compiler. Entries live in
 * {@code $CARAVAN_CACHE/plans} (system property {@code caravan.cache.dir}; default
 * {@code ~/.cache/caravan}); a cache that cannot be read or written is skipped, never an error.
 * {@code CARAVAN_PLAN_CACHE=0} turns it off.
 */
final class PlanCache {
    private static final int MAGIC = 0x43525643;  // "CRVC"
    private static final int MAX_CLASSES = 10_000;
    private static final long MAX_ENTRY_BYTES = 64L << 20;

    private final Path dir;

    private PlanCache(Path dir) {
        this.dir = dir;
    }

    /** The cache of this user, or null when turned off. */
    static PlanCache standard() {
        if ("0".equals(System.getenv("CARAVAN_PLAN_CACHE")) || "0".equals(System.getProperty("caravan.plan.cache"))) {
            return null;
        }
        String base = System.getProperty("caravan.cache.dir", System.getenv("CARAVAN_CACHE"));
        Path root = base != null && !base.isBlank() ? Path.of(base)
                : Path.of(System.getProperty("user.home"), ".cache", "caravan");
        return new PlanCache(root.resolve("plans"));
    }

    /** The key of a plan file as it is now. */
    static String key(Path file, byte[] content) {
        MessageDigest md = dev.caravan.io.Sha256.digest();
        md.update(("caravan-plan-cache 1\n" + codeIdentity() + "\ngroovy " + GroovySystem.getVersion()
                + "\n" + file.getFileName() + "\n").getBytes(StandardCharsets.UTF_8));
        md.update(content);
        return HexFormat.of().formatHex(md.digest());
    }

    /** The classes stored for {@code key} (script class first), or null when there are none or they cannot be read or are damaged. */
    Map<String, byte[]> get(String key) {
        Path entry = dir.resolve(key + ".classes");
        try {
            if (!Files.isRegularFile(entry) || Files.size(entry) > MAX_ENTRY_BYTES) {
                return null;
            }
            byte[] all = Files.readAllBytes(entry);  // a few KiB of class files
            int body = all.length - 32;
            if (body < 8) {
                return null;
            }
            MessageDigest md = dev.caravan.io.Sha256.digest();
            md.update(all, 0, body);
            if (!MessageDigest.isEqual(md.digest(), java.util.Arrays.copyOfRange(all, body, all.length))) {
                return null;  // torn or damaged: compile again
            }
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(all, 0, body));
            if (in.readInt() != MAGIC) {
                return null;
            }
            int count = in.readInt();
            if (count <= 0 || count > MAX_CLASSES) {
                return null;
            }
            Map<String, byte[]> classes = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                int length = in.readInt();
                if (length <= 0 || length > body) {
                    return null;
                }
                byte[] bytes = new byte[length];
                in.readFully(bytes);
                classes.put(name, bytes);
            }
            return classes;
        } catch (IOException | RuntimeException e) {
            return null;  // unreadable or foreign: compile instead
        }
    }

    /** Stores the classes of a clean compile, script class first; best effort (atomic rename, so readers never see half). */
    void put(String key, Map<String, byte[]> classes) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                try {
                    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: its default permissions apply
                }
            }
            Path tmp = Files.createTempFile(dir, ".tmp-", ".classes");
            try {
                MessageDigest md = dev.caravan.io.Sha256.digest();
                try (OutputStream os = Files.newOutputStream(tmp); DataOutputStream out = new DataOutputStream(new DigestOutputStream(os, md))) {
                    out.writeInt(MAGIC);
                    out.writeInt(classes.size());
                    for (Map.Entry<String, byte[]> c : classes.entrySet()) {
                        out.writeUTF(c.getKey());
                        out.writeInt(c.getValue().length);
                        out.write(c.getValue());
                    }
                    out.flush();
                    os.write(md.digest());  // the SHA-256 of all of the above, checked on every read
                }
                try {
                    Files.move(tmp, dir.resolve(key + ".classes"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, dir.resolve(key + ".classes"), StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException | RuntimeException e) {
            // no cache: the next run compiles again
        }
    }

    /** Defines stored classes in {@code loader} (all before any is used, as they refer to each other); returns the script class. */
    static Class<?> define(GroovyClassLoader loader, Map<String, byte[]> classes) {
        List<Class<?>> defined = new ArrayList<>();
        for (Map.Entry<String, byte[]> c : classes.entrySet()) {
            defined.add(loader.defineClass(c.getKey(), c.getValue()));
        }
        return defined.get(0);
    }

    /** Where Caravan's own classes come from, with the size and time of that jar or of the DSL's classes. */
    private static String codeIdentity() {
        StringBuilder id = new StringBuilder();
        CodeSource cs = PlanCache.class.getProtectionDomain().getCodeSource();
        if (cs != null && cs.getLocation() != null) {
            id.append(cs.getLocation());
            try {
                Path p = Path.of(cs.getLocation().toURI());
                if (Files.isRegularFile(p)) {
                    id.append(' ').append(Files.size(p)).append(' ').append(Files.getLastModifiedTime(p).toMillis());
                }
            } catch (URISyntaxException | IOException | RuntimeException e) {
                id.append(" ?");
            }
        }
        // a classes directory: the compile-time parts of the DSL (the customizers and script base)
        for (Class<?> c : new Class<?>[] {PlanLoader.class, Lockdown.class, dev.caravan.dsl.jbang.PlanScriptTransform.class}) {
            URL u = c.getResource(c.getSimpleName() + ".class");
            if (u != null && "file".equals(u.getProtocol())) {
                try (InputStream in = u.openStream()) {
                    id.append(' ').append(HexFormat.of().formatHex(dev.caravan.io.Sha256.digest().digest(in.readAllBytes())));
                } catch (IOException e) {
                    id.append(" ?");
                }
            }
        }
        return id.toString();
    }
}
