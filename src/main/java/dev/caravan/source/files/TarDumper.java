package dev.caravan.source.files;

import dev.caravan.io.Sha256;
import dev.caravan.source.tool.SqliteSnapshot;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Writes a directory tree (or one file) as a POSIX/PAX tar. Entries are named relative to the root
 * without a leading {@code ./} ({@code docs/}, {@code docs/a.txt}); the root itself has no entry.
 * Children are written in sorted name order, so the same tree gives the same archive. In an
 * incremental, a file of at least {@link #APPEND_MIN} bytes that only grew since the previous backup
 * (its old bytes hash as before) is stored as its new bytes only, under {@code .caravan-append/}. A SQLite
 * database met on the way is stored as a consistent snapshot, and its -wal/-shm/-journal companions
 * are left out (see {@link SqliteSnapshots}).
 */
final class TarDumper {
    static final int S_IFMT = 0170000;
    static final int S_IFREG = 0100000;
    static final int S_IFDIR = 0040000;
    static final int S_IFLNK = 0120000;
    private static final String ATTRIBUTES = "unix:mode,uid,gid,size,lastModifiedTime,ino,ctime";
    private static final int BUFFER = 256 * 1024;
    /** Files from this size on get a SHA-256 in the index, so that a later incremental can store only what was appended. */
    static final long APPEND_MIN = 1 << 20;

    private final PathFilter filter;
    private final Consumer<String> notes;
    private final SqliteSnapshots snapshots;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
    private final List<Pending> pendingDirs = new ArrayList<>();
    private final Map<String, FileIndex.Entry> previous;
    private final Map<String, FileIndex.Entry> unseen;
    private final List<String> replaced = new ArrayList<>();
    private final FileIndex.Writer index;
    private boolean appends;
    private TarArchiveOutputStream tar;

    private record Pending(TarArchiveEntry entry, FileIndex.Entry indexed) {
    }

    /** {@code sqliteSnapshots}: put a consistent snapshot of each SQLite database in place of its live bytes. */
    TarDumper(PathFilter filter, boolean sqliteSnapshots, Consumer<String> notes) {
        this(filter, sqliteSnapshots, notes, null, null);
    }

    /**
     * A dumper that also writes the tree's index to {@code index} (may be null). With
     * {@code previous} (the previous backup's index), files, symlinks that are unchanged since are
     * left out of the tar, and the index ends with what was deleted (or changed type) since.
     * Directories are always written: they are small, and their entries restore their times.
     */
    TarDumper(PathFilter filter, boolean sqliteSnapshots, Consumer<String> notes,
              Map<String, FileIndex.Entry> previous, FileIndex.Writer index) {
        this.filter = filter;
        this.notes = notes;
        this.snapshots = sqliteSnapshots ? new SqliteSnapshots(notes) : null;
        this.previous = previous;
        this.unseen = previous == null ? null : new HashMap<>(previous);
        this.index = index;
    }

    /** Writes the archive of {@code root} to {@code out}, without closing {@code out}. */
    void dump(Path root, OutputStream out) throws IOException {
        tar = new TarArchiveOutputStream(new NonClosing(out), TarConstants.DEFAULT_BLKSIZE, "UTF-8");
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        // a tree of its own with the name appended tails go under: this run stores grown files whole
        appends = previous != null && !Files.exists(root.resolve(TarFormat.APPEND_DIR), LinkOption.NOFOLLOW_LINKS);
        try {
            if (Files.isDirectory(root)) {
                walk(root, "");
            } else if (Files.isRegularFile(root)) {
                Map<String, Object> attrs = Files.readAttributes(root, ATTRIBUTES);
                writeFile(root, root.getFileName().toString(), attrs);
            } else {
                throw new NoSuchFileException(root.toString(), null, "the path is neither a directory nor a file");
            }
            if (index != null && unseen != null) {
                TreeSet<String> deleted = new TreeSet<>(unseen.keySet());
                deleted.addAll(replaced);
                for (String path : deleted) {
                    index.deleted(path);
                }
            }
            tar.finish();
            tar.close();
        } finally {
            if (snapshots != null) {
                snapshots.close();
            }
        }
    }

    private void walk(Path dir, String prefix) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(children::add);
        } catch (NoSuchFileException e) {
            notes.accept("skipped " + prefix + ": the directory vanished during the backup");
            return;
        }
        children.sort(null);
        for (Path child : children) {
            String rel = prefix + child.getFileName().toString();
            Map<String, Object> attrs;
            try {
                attrs = Files.readAttributes(child, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                notes.accept("skipped " + rel + ": it vanished during the backup");
                continue;
            }
            int type = (Integer) attrs.get("mode") & S_IFMT;
            if (filter.excluded(rel, type == S_IFDIR)) {
                continue;
            }
            if (type == S_IFDIR) {
                Pending entry = new Pending(entry(rel + "/", TarConstants.LF_DIR, attrs), indexed(rel, "dir", attrs, null));
                pendingDirs.add(entry);
                if (!filter.hasIncludes()) {
                    flushDirs();
                }
                walk(child, rel + "/");
                if (!pendingDirs.isEmpty() && pendingDirs.get(pendingDirs.size() - 1) == entry) {
                    pendingDirs.remove(pendingDirs.size() - 1);
                }
            } else if (!filter.included(rel)) {
                continue;
            } else if (type == S_IFREG) {
                writeFile(child, rel, attrs);
            } else if (type == S_IFLNK) {
                writeSymlink(child, rel, attrs);
            } else {
                notes.accept("skipped " + rel + ": not a regular file, directory or symlink");
            }
        }
    }

    private void writeFile(Path file, String rel, Map<String, Object> attrs) throws IOException {
        if (snapshots != null && snapshots.isCompanion(file)) {
            return;
        }
        FileIndex.Entry indexed = indexed(rel, "file", attrs, null);
        FileIndex.Entry before = previous == null ? null : previous.get(rel);
        if (indexed.unchangedSince(before)) {
            // unchanged since the previous backup of the chain: recorded (with its hash), never opened
            flushDirs();
            record(indexed.withSha256(before.sha256()), -1);
            return;
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            notes.accept("skipped " + rel + ": it vanished during the backup");
            return;
        }
        try (channel) {
            flushDirs();
            long size = (Long) attrs.get("size");
            if (appendable(before, size) && writeTail(channel, rel, attrs, indexed, before)) {
                return;
            }
            // the first chunk is read before the entry is written: when it starts like a SQLite
            // database, a consistent snapshot takes the live bytes' place (no extra read per file)
            buffer.clear();
            if (size < BUFFER) {
                buffer.limit((int) size);
            }
            int first = size == 0 ? 0 : channel.read(buffer);
            if (snapshots != null && first > 0 && SqliteSnapshot.hasMagic(buffer.array(), first)
                    && snapshots.write(file, rel, attrs, this::putSnapshot)) {
                record(indexed, -1);
                return;
            }
            TarArchiveEntry entry = entry(rel, TarConstants.LF_NORMAL, attrs);
            entry.setSize(size);
            tar.putArchiveEntry(entry);
            MessageDigest md = index != null && size >= APPEND_MIN ? Sha256.digest() : null;
            copy(channel, size, first, md, rel);
            tar.closeArchiveEntry();
            record(md == null ? indexed : indexed.withSha256(Sha256.hex(md)), -1);
        }
    }

    /** Whether a file that changed since {@code before} may have only grown: big enough, longer, its old bytes hashed. */
    private boolean appendable(FileIndex.Entry before, long size) {
        return appends && before != null && "file".equals(before.type()) && before.sha256() != null
                && before.size() >= APPEND_MIN && size > before.size();
    }

    /**
     * When the file's first {@code before.size()} bytes still hash to what the chain holds, writes only
     * the bytes after them, as the entry {@code .caravan-append/REL}, and returns true. Otherwise
     * leaves the channel at its start and returns false (the file is then stored whole).
     */
    private boolean writeTail(FileChannel channel, String rel, Map<String, Object> attrs, FileIndex.Entry indexed,
                              FileIndex.Entry before) throws IOException {
        MessageDigest md = Sha256.digest();
        byte[] array = buffer.array();
        for (long left = before.size(); left > 0; ) {
            buffer.clear();
            if (left < BUFFER) {
                buffer.limit((int) left);
            }
            int n = channel.read(buffer);
            if (n < 0) {
                channel.position(0); // it shrank meanwhile
                return false;
            }
            md.update(array, 0, n);
            left -= n;
        }
        MessageDigest old;
        try {
            old = (MessageDigest) md.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 cannot be cloned", e);
        }
        if (!Sha256.hex(old).equals(before.sha256())) {
            channel.position(0);
            return false;
        }
        long tail = (Long) attrs.get("size") - before.size();
        TarArchiveEntry entry = entry(TarFormat.APPENDED + rel, TarConstants.LF_NORMAL, attrs);
        entry.setSize(tail);
        tar.putArchiveEntry(entry);
        copy(channel, tail, 0, md, rel);
        tar.closeArchiveEntry();
        record(indexed.withSha256(Sha256.hex(md)), before.size());
        return true;
    }

    /**
     * Writes {@code left} bytes of the channel into the open tar entry, the first {@code n} of them
     * already in the buffer, and adds them to {@code md} (when not null). A file that shrank meanwhile
     * is padded with zeros, so the entry keeps the size its header announced.
     */
    private void copy(FileChannel channel, long left, int n, MessageDigest md, String rel) throws IOException {
        byte[] array = buffer.array();
        while (left > 0) {
            if (n > 0) {
                tar.write(array, 0, n);
                if (md != null) {
                    md.update(array, 0, n);
                }
                left -= n;
            } else if (n < 0) {
                notes.accept(rel + " shrank during the backup; padded its last " + left + " bytes with zeros");
                java.util.Arrays.fill(array, (byte) 0);
                while (left > 0) {
                    int z = (int) Math.min(left, BUFFER);
                    tar.write(array, 0, z);
                    if (md != null) {
                        md.update(array, 0, z);
                    }
                    left -= z;
                }
                return;
            }
            if (left > 0) {
                buffer.clear();
                if (left < BUFFER) {
                    buffer.limit((int) left);
                }
                n = channel.read(buffer);
            }
        }
    }

    /** Writes a snapshot file as the entry {@code rel}, with the live file's mode, owner and time. */
    private void putSnapshot(Path snapshot, String rel, Map<String, Object> attrs) throws IOException {
        flushDirs();
        TarArchiveEntry entry = entry(rel, TarConstants.LF_NORMAL, attrs);
        entry.setSize(Files.size(snapshot));
        tar.putArchiveEntry(entry);
        Files.copy(snapshot, tar);
        tar.closeArchiveEntry();
    }

    private void writeSymlink(Path link, String rel, Map<String, Object> attrs) throws IOException {
        Path target;
        try {
            target = Files.readSymbolicLink(link);
        } catch (NoSuchFileException e) {
            notes.accept("skipped " + rel + ": it vanished during the backup");
            return;
        }
        flushDirs();
        FileIndex.Entry indexed = indexed(rel, "symlink", attrs, target.toString());
        record(indexed, -1);
        if (previous != null && indexed.unchangedSince(previous.get(rel))) {
            return;
        }
        TarArchiveEntry entry = entry(rel, TarConstants.LF_SYMLINK, attrs);
        entry.setLinkName(target.toString());
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }

    private void flushDirs() throws IOException {
        for (Pending dir : pendingDirs) {
            record(dir.indexed(), -1);
            tar.putArchiveEntry(dir.entry());
            tar.closeArchiveEntry();
        }
        pendingDirs.clear();
    }

    /** Records the entry in the index (see {@link FileIndex.Writer#entry}) and marks it seen. */
    private void record(FileIndex.Entry e, long appendedFrom) throws IOException {
        if (index != null) {
            index.entry(e, appendedFrom);
        }
        if (previous != null) {
            FileIndex.Entry before = unseen.remove(e.path());
            if (before != null && !before.type().equals(e.type())) {
                replaced.add(e.path());
            }
        }
    }

    private static FileIndex.Entry indexed(String rel, String type, Map<String, Object> attrs, String link) {
        return new FileIndex.Entry(rel, type, (Long) attrs.get("size"), nanos((FileTime) attrs.get("lastModifiedTime")),
                (Integer) attrs.get("mode"), ((Number) attrs.get("ino")).longValue(), nanos((FileTime) attrs.get("ctime")), link);
    }

    private static long nanos(FileTime t) {
        java.time.Instant i = t.toInstant();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    private static TarArchiveEntry entry(String name, byte linkFlag, Map<String, Object> attrs) {
        TarArchiveEntry entry = new TarArchiveEntry(name, linkFlag, true);
        int mode = (Integer) attrs.get("mode");
        entry.setMode(mode);
        // whole seconds, as tar keeps them; sub-second times would cost a PAX header per entry
        entry.setModTime(((FileTime) attrs.get("lastModifiedTime")).toMillis() / 1000 * 1000);
        entry.setUserId(((Number) attrs.get("uid")).longValue());
        entry.setGroupId(((Number) attrs.get("gid")).longValue());
        return entry;
    }

    /** Lets the tar stream be finished and closed without closing the caller's stream. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
