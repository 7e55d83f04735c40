package dev.caravan.source.files;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Unpacks a tar into a target directory without ever writing outside it: names that are absolute or
 * climb with {@code ..} are refused, and no entry is written through a symlink (neither one already
 * in the target nor one the archive itself made). Directory modes and times are set last, deepest first.
 */
final class TarRestorer {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final int BUFFER = 256 * 1024;

    private final Path target;
    private final boolean dryRun;
    private final Consumer<String> log;
    private final boolean restoreOwners = "root".equals(System.getProperty("user.name"));
    private final Set<Path> checkedDirs = new HashSet<>();
    private final Set<String> archiveLinks = new HashSet<>();
    private final List<DirAttributes> dirs = new ArrayList<>();
    private final Map<String, Long> appended;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
    private long files;
    private long bytes;
    private long links;

    private record DirAttributes(Path path, TarArchiveEntry entry) {
    }

    TarRestorer(Path target, boolean dryRun, Consumer<String> log) {
        this(target, dryRun, log, Map.of());
    }

    /**
     * {@code appended}: the files (path to offset) whose entry {@code .caravan-append/PATH} holds
     * what was added to their end since the previous backup of the chain (from the increment's index).
     */
    TarRestorer(Path target, boolean dryRun, Consumer<String> log, Map<String, Long> appended) {
        this.target = target;
        this.dryRun = dryRun;
        this.log = log;
        this.appended = appended;
    }

    void restore(InputStream in) throws IOException {
        TarArchiveInputStream tar = TarFormat.open(in);
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
            String rel = safeName(entry.getName());
            Long offset = rel != null && rel.startsWith(TarFormat.APPENDED) && entry.isFile()
                    ? appended.get(rel.substring(TarFormat.APPENDED.length())) : null;
            if (offset != null) {
                appendEntry(tar, entry, rel.substring(TarFormat.APPENDED.length()), offset);
            } else if (rel != null) {
                restoreEntry(tar, entry, rel);
            }
        }
        TarFormat.drain(in);
        for (int i = dirs.size() - 1; i >= 0 && !dryRun; i--) {
            DirAttributes d = dirs.get(i);
            setAttributes(d.path(), d.entry(), true);
        }
        log.accept((dryRun ? "would restore " : "restored ") + files + " files (" + bytes + " bytes), "
                + dirs.size() + " directories, " + links + " links into " + target);
    }

    private void restoreEntry(TarArchiveInputStream tar, TarArchiveEntry entry, String rel) throws IOException {
        refuseThroughArchiveLink(rel, entry.getName());
        Path path = target.resolve(rel).normalize();
        if (!path.startsWith(target) || path.equals(target)) {
            throw refused(entry.getName(), "it would be written outside the target");
        }
        if (dryRun) {
            describe(entry, rel);
            return;
        }
        prepareParents(path.getParent(), entry.getName());
        if (entry.isDirectory()) {
            makeDirectory(path, entry);
        } else if (entry.isSymbolicLink()) {
            clear(path, entry.getName());
            Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
            archiveLinks.add(rel);
            setAttributes(path, entry, false);
            links++;
        } else if (entry.isLink()) {
            String linkRel = safeName(entry.getLinkName());
            if (linkRel == null) {
                throw refused(entry.getName(), "it is a hard link to the target directory itself");
            }
            refuseThroughArchiveLink(linkRel, entry.getName());
            clear(path, entry.getName());
            Files.createLink(path, target.resolve(linkRel));
            links++;
        } else if (entry.isFile()) {
            clear(path, entry.getName());
            writeFile(tar, path, entry);
            setAttributes(path, entry, false);
        } else {
            log.accept("skipped " + entry.getName() + ": device, fifo or other special file");
        }
    }

    /**
     * Adds the entry's bytes to the end of {@code rel}, which must be the regular file the chain's
     * previous backup left, {@code offset} bytes long; then sets the entry's mode, owner and time on it.
     */
    private void appendEntry(TarArchiveInputStream tar, TarArchiveEntry entry, String rel, long offset) throws IOException {
        refuseThroughArchiveLink(rel, entry.getName());
        Path path = target.resolve(rel).normalize();
        if (!path.startsWith(target) || path.equals(target)) {
            throw refused(entry.getName(), "it would be written outside the target");
        }
        if (dryRun) {
            files++;
            bytes += entry.getSize();
            log.accept("would append " + entry.getSize() + " bytes to " + path);
            return;
        }
        prepareParents(path.getParent(), entry.getName());
        BasicFileAttributes existing = attributesOrNull(path);
        if (existing == null || !existing.isRegularFile() || existing.size() != offset) {
            throw new IOException("restore cannot add the new bytes of " + rel + ": "
                    + (existing == null ? "the file is missing" : !existing.isRegularFile() ? "it is not a regular file"
                    : "it holds " + existing.size() + " bytes where the previous backup of its chain left " + offset)
                    + " (an incremental restores on top of its chain, from the full, in order)");
        }
        try (FileChannel out = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND, NOFOLLOW)) {
            copy(tar, out);
        }
        setAttributes(path, entry, false);
    }

    private void describe(TarArchiveEntry entry, String rel) {
        if (entry.isDirectory()) {
            dirs.add(new DirAttributes(target.resolve(rel), entry));
            log.accept("would create directory " + target.resolve(rel));
        } else if (entry.isSymbolicLink()) {
            archiveLinks.add(rel);
            links++;
            log.accept("would link " + target.resolve(rel) + " -> " + entry.getLinkName());
        } else if (entry.isLink()) {
            links++;
            log.accept("would hard-link " + target.resolve(rel) + " to " + entry.getLinkName());
        } else if (entry.isFile()) {
            files++;
            bytes += entry.getSize();
            log.accept("would write " + target.resolve(rel) + " (" + entry.getSize() + " bytes)");
        } else {
            log.accept("would skip " + entry.getName() + ": device, fifo or other special file");
        }
    }

    private void writeFile(TarArchiveInputStream tar, Path path, TarArchiveEntry entry) throws IOException {
        try (FileChannel out = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, NOFOLLOW)) {
            copy(tar, out);
        }
    }

    /** Writes the current entry's bytes to {@code out} and counts the file. */
    private void copy(TarArchiveInputStream tar, FileChannel out) throws IOException {
        byte[] array = buffer.array();
        int n;
        while ((n = tar.read(array, 0, BUFFER)) > 0) {
            buffer.clear().limit(n);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            bytes += n;
        }
        files++;
    }

    private void makeDirectory(Path path, TarArchiveEntry entry) throws IOException {
        BasicFileAttributes existing = attributesOrNull(path);
        if (existing != null && !existing.isDirectory()) {
            Files.delete(path);
            existing = null;
        }
        if (existing == null) {
            Files.createDirectory(path);
        }
        checkedDirs.add(path);
        dirs.add(new DirAttributes(path, entry));
    }

    /** Creates missing parents; refuses a parent that is a symlink or not a directory. */
    private void prepareParents(Path parent, String name) throws IOException {
        if (parent.equals(target) || checkedDirs.contains(parent)) {
            return;
        }
        prepareParents(parent.getParent(), name);
        BasicFileAttributes attrs = attributesOrNull(parent);
        if (attrs == null) {
            Files.createDirectory(parent);
        } else if (attrs.isSymbolicLink()) {
            throw refused(name, "its parent " + parent + " is a symlink, and restore never writes through symlinks");
        } else if (!attrs.isDirectory()) {
            throw refused(name, "its parent " + parent + " is not a directory");
        }
        checkedDirs.add(parent);
    }

    /** Removes what is in the way of a new file or link, never following a symlink; refuses a non-empty directory. */
    private void clear(Path path, String name) throws IOException {
        BasicFileAttributes attrs = attributesOrNull(path);
        if (attrs == null) {
            return;
        }
        if (attrs.isDirectory()) {
            try (var s = Files.newDirectoryStream(path)) {
                if (s.iterator().hasNext()) {
                    throw refused(name, path + " is a non-empty directory");
                }
            }
            checkedDirs.remove(path);
        }
        Files.delete(path);
    }

    private void refuseThroughArchiveLink(String rel, String name) throws IOException {
        for (int i = rel.indexOf('/'); i > 0; i = rel.indexOf('/', i + 1)) {
            if (archiveLinks.contains(rel.substring(0, i))) {
                throw refused(name, "it goes through the symlink " + rel.substring(0, i) + " made by this archive");
            }
        }
    }

    private void setAttributes(Path path, TarArchiveEntry entry, boolean directory) throws IOException {
        if (entry.isSymbolicLink()) {
            setTimeIfPossible(path, entry);
            return;
        }
        if (restoreOwners) {
            Files.setAttribute(path, "unix:uid", (int) entry.getLongUserId(), NOFOLLOW);
            Files.setAttribute(path, "unix:gid", (int) entry.getLongGroupId(), NOFOLLOW);
        }
        Files.setAttribute(path, "unix:mode", entry.getMode() & 07777, NOFOLLOW);
        Files.getFileAttributeView(path, BasicFileAttributeView.class, NOFOLLOW)
                .setTimes(FileTime.from(entry.getModTime().toInstant()), null, null);
    }

    private static void setTimeIfPossible(Path link, TarArchiveEntry entry) {
        try {
            Files.getFileAttributeView(link, BasicFileAttributeView.class, NOFOLLOW)
                    .setTimes(FileTime.from(entry.getModTime().toInstant()), null, null);
        } catch (IOException | UnsupportedOperationException e) {
            // a symlink's own time is cosmetic; some file systems cannot set it
        }
    }

    private static BasicFileAttributes attributesOrNull(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, NOFOLLOW);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * The entry's name as a clean relative path, or null for the root itself ({@code ./}). Absolute
     * names and {@code ..} segments are refused.
     */
    static String safeName(String name) throws IOException {
        if (name.startsWith("/")) {
            throw refused(name, "it is an absolute path");
        }
        List<String> parts = new ArrayList<>();
        for (String part : name.split("/")) {
            if (part.equals("..")) {
                throw refused(name, "it climbs out of the target with '..'");
            }
            if (!part.isEmpty() && !part.equals(".")) {
                parts.add(part);
            }
        }
        return parts.isEmpty() ? null : String.join("/", parts);
    }

    private static IOException refused(String name, String why) {
        return new IOException("restore refused entry '" + name + "': " + why);
    }

}
