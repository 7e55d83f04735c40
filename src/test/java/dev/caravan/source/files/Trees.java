package dev.caravan.source.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Builds the awkward test tree and describes trees for comparison. */
final class Trees {
    static final String LONG_NAME = "l".repeat(150) + ".txt";

    private Trees() {
    }

    /** Modes 0600/0755/0444, symlinks to a file and a dir, empty dirs, unicode and 150-char names, 0 B and 5 MiB files. */
    static Path awkward(Path root) throws IOException {
        Files.createDirectories(root);
        write(root.resolve("secret.txt"), "top secret\n", "rw-------");
        write(root.resolve("run.sh"), "#!/bin/sh\necho hi\n", "rwxr-xr-x");
        write(root.resolve("readonly.txt"), "do not touch\n", "r--r--r--");
        Files.createDirectories(root.resolve("päivä"));
        write(root.resolve("päivä/日本語.txt"), "こんにちは\n", "rw-r--r--");
        Files.createDirectories(root.resolve("deep/er"));
        write(root.resolve("deep/er/" + LONG_NAME), "long name\n", "rw-r--r--");
        write(root.resolve("zero.bin"), "", "rw-r--r--");
        byte[] random = new byte[5 * 1024 * 1024];
        new Random(42).nextBytes(random);
        Files.write(root.resolve("random.bin"), random);
        Files.createDirectories(root.resolve("empty/nested-empty"));
        Files.createSymbolicLink(root.resolve("link-to-file"), Path.of("secret.txt"));
        Files.createSymbolicLink(root.resolve("link-to-dir"), Path.of("päivä"));
        Files.setPosixFilePermissions(root.resolve("empty"), PosixFilePermissions.fromString("rwx------"));
        long t = 1_600_000_000L;
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                if (!Files.isSymbolicLink(p) && !p.equals(root)) {
                    Files.setLastModifiedTime(p, FileTime.fromMillis((t += 3600) * 1000));
                }
            }
        }
        return root;
    }

    static void write(Path file, String text, String perms) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(perms));
    }

    /** rel path -> type, permissions, mtime (seconds), content hash or link target; the root itself left out. */
    static Map<String, String> describe(Path root) throws IOException {
        Map<String, String> tree = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                if (p.equals(root)) {
                    continue;
                }
                String rel = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    tree.put(rel, "link -> " + Files.readSymbolicLink(p));
                    continue;
                }
                String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
                long mtime = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis() / 1000;
                tree.put(rel, Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                        ? "dir " + perms + " " + mtime
                        : "file " + perms + " " + mtime + " " + sha256(p));
            }
        }
        return tree;
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
