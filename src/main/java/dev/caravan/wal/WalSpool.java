package dev.caravan.wal;

import dev.caravan.backup.WalSegment;
import dev.caravan.dsl.Sizes;
import dev.caravan.model.Plan;
import dev.caravan.model.SourceSpec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The spool of asynchronous WAL archiving ({@code walSpool DIR} on a continuous postgres source): a
 * directory where {@code archive_command} leaves each finished WAL file durably (copied to a temporary
 * name, fsynced, renamed into place, directory fsynced), so that the archiver can move on at once, and
 * from which a {@link WalShipper} ships them. The same layout is written by {@code bin/caravan-wal-spool}
 * (a shell script, no JVM start): {@code DIR/<walfile>} for a spooled file, {@code DIR/.tmp-*} while one is
 * being written, {@code DIR/.limit} the size limit in bytes (written by Caravan from the plan's
 * {@code walSpoolLimit}, read by the script), {@code DIR/.ship.lock} held by the one shipper at work.
 *
 * <p>A file leaves the spool only when every destination holds a verified copy ({@link #remove}), so a
 * segment the archiver considers done is never lost. When the spool (with the new file) would exceed the
 * limit, {@link #put} refuses: {@code archive_command} exits non-zero and PostgreSQL keeps the segment in
 * {@code pg_wal} and retries.
 */
public final class WalSpool {
    /** The limit when the plan says none. */
    public static final long DEFAULT_LIMIT = 1L << 30;
    /** The share of the limit from which the service raises a {@code wal-spool} alert. */
    public static final double ALERT_AT = 0.8;

    private final Path dir;
    private final long limit;

    public WalSpool(Path dir, long limit) {
        this.dir = dir;
        this.limit = limit;
    }

    /** The spool of a source with {@code walSpool}, if it has one. */
    public static Optional<WalSpool> of(Plan plan, String source) {
        return plan.source(source).flatMap(WalSpool::of);
    }

    public static Optional<WalSpool> of(SourceSpec spec) {
        return spec.options().string("walSpool").map(d -> new WalSpool(Path.of(d),
                spec.options().string("walSpoolLimit").map(Sizes::parse).orElse(DEFAULT_LIMIT)));
    }

    /** How many segments each shipper sends at once ({@code walParallel}, default 2). */
    public static int parallel(SourceSpec spec) {
        return Math.max(1, spec.options().integer("walParallel", 2));
    }

    public Path dir() {
        return dir;
    }

    public long limit() {
        return limit;
    }

    /** What the spool holds: files waiting to ship, their bytes and the modification time of the oldest (null: empty). */
    public record Depth(int segments, long bytes, Instant oldest, long limit) {
        /** Seconds since the oldest waiting file was spooled; 0 when empty. */
        public double oldestSeconds(Instant now) {
            return oldest == null ? 0 : Math.max(0, (now.toEpochMilli() - oldest.toEpochMilli()) / 1000.0);
        }

        public double fill() {
            return limit <= 0 ? 0 : (double) bytes / limit;
        }
    }

    /**
     * Puts {@code file} into the spool as {@code name}, durably. A file of that name already spooled with
     * the same content is left as it is (the archiver repeats a file it was not told was done); with other
     * content it is refused, as PostgreSQL asks of an archive. Refuses when the spool would exceed its limit.
     */
    public void put(Path file, String name) throws IOException {
        if (!WalSegment.isName(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a WAL file name (archive_command passes it as %f)");
        }
        Files.createDirectories(dir);
        writeLimit();
        Path target = dir.resolve(name);
        if (Files.exists(target)) {
            if (sameContent(file, target)) {
                return;
            }
            throw new IOException("the WAL spool " + dir + " already holds a different " + name + "; not overwritten");
        }
        long size = Files.size(file);
        long used = usedBytes();
        if (used + size > limit) {
            throw new SpoolFullException("the WAL spool " + dir + " is full (" + used + " of " + limit + " bytes, walSpoolLimit):"
                    + " is the service running and shipping? PostgreSQL keeps " + name + " in pg_wal and retries");
        }
        Path tmp = dir.resolve(".tmp-" + name + "-" + ProcessHandle.current().pid());
        try {
            try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
                 FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                         StandardOpenOption.WRITE)) {
                long done = 0;
                while (done < size) {
                    done += in.transferTo(done, size - done, out);
                }
                out.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot rename into " + target + " atomically", e);
            }
            fsyncDir();
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The files waiting to ship, oldest name first (timeline history files sort before segments). */
    public List<Path> ready() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> WalSegment.isName(p.getFileName().toString())).sorted().toList();
        }
    }

    /** Removes a file that every destination now holds (and fsyncs the directory). */
    public void remove(String name) throws IOException {
        Files.deleteIfExists(dir.resolve(name));
        fsyncDir();
    }

    public Depth depth() throws IOException {
        int n = 0;
        long bytes = 0;
        Instant oldest = null;
        for (Path p : ready()) {
            try {
                bytes += Files.size(p);
                Instant m = Files.getLastModifiedTime(p).toInstant();
                oldest = oldest == null || m.isBefore(oldest) ? m : oldest;
                n++;
            } catch (NoSuchFileException shipped) {
                // removed by the shipper while listing
            }
        }
        return new Depth(n, bytes, oldest, limit);
    }

    /** Writes {@code .limit} for the shell spooler when it is missing or says another limit. */
    public void writeLimit() throws IOException {
        Files.createDirectories(dir);
        Path f = dir.resolve(".limit");
        String text = limit + "\n";
        if (Files.isRegularFile(f) && Files.readString(f).equals(text)) {
            return;
        }
        Path tmp = dir.resolve(".limit.tmp-" + ProcessHandle.current().pid());
        Files.writeString(tmp, text);
        Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Takes the shipper's lock of this spool, or returns null when another process (the service, or a
     * {@code wal-ship}) holds it. Held until the returned lock is closed or the process ends. Whoever
     * ships also writes {@code .limit}, so the shell spooler refuses at the plan's limit.
     */
    public FileLock tryLockShipper() throws IOException {
        writeLimit();
        FileChannel ch = FileChannel.open(dir.resolve(".ship.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = ch.tryLock();
            if (lock == null) {
                ch.close();
            }
            return lock;
        } catch (OverlappingFileLockException inThisJvm) {
            ch.close();
            return null;
        }
    }

    private long usedBytes() throws IOException {
        long used = 0;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String n = p.getFileName().toString();
                if (WalSegment.isName(n) || n.startsWith(".tmp-")) {
                    try {
                        used += Files.size(p);
                    } catch (NoSuchFileException gone) {
                        // shipped meanwhile
                    }
                }
            }
        }
        return used;
    }

    private void fsyncDir() throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    private static boolean sameContent(Path a, Path b) throws IOException {
        if (Files.size(a) != Files.size(b)) {
            return false;
        }
        try (InputStream x = Files.newInputStream(a); InputStream y = Files.newInputStream(b)) {
            byte[] bx = new byte[1 << 16];
            byte[] by = new byte[1 << 16];
            while (true) {
                int n = x.readNBytes(bx, 0, bx.length);
                int m = y.readNBytes(by, 0, n);
                if (n != m || !Arrays.equals(bx, 0, n, by, 0, m)) {
                    return false;
                }
                if (n == 0) {
                    return true;
                }
            }
        }
    }

    /** The spool would exceed its limit: the archiver must retry later. */
    public static final class SpoolFullException extends IOException {
        public SpoolFullException(String message) {
            super(message);
        }
    }
}
