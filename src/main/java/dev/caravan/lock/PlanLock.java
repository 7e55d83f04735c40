package dev.caravan.lock;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * One run of a plan at a time, across processes. An OS file lock ({@code fcntl}) on
 * {@code <state>/locks/<plan>.lock}: the kernel drops it when the holder dies, even by SIGKILL,
 * so a crashed run never wedges the plan. The file records who holds it, for the message.
 */
public final class PlanLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private PlanLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock or throws {@link LockHeldException} naming the holder. */
    public static PlanLock acquire(Path stateDir, String plan, String what) throws IOException {
        Path dir = stateDir.resolve("locks");
        Files.createDirectories(dir);
        Path file = dir.resolve(plan + ".lock");
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException inThisProcess) {
            l = null; // held by another run in this same process (the service, or a test)
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (l == null) {
            String holder = Files.readString(file, StandardCharsets.UTF_8).trim();
            ch.close();
            throw new LockHeldException("plan '" + plan + "' is locked by another run"
                    + (holder.isEmpty() ? "" : " (" + holder + ")") + "; lock file " + file);
        }
        ch.truncate(0);
        ch.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + ", " + what + ", since " + Instant.now())
                .getBytes(StandardCharsets.UTF_8)));
        ch.force(false);
        return new PlanLock(ch, l);
    }

    /** Releases the lock; a second call does nothing. */
    @Override
    public void close() throws IOException {
        if (!channel.isOpen()) {
            return;
        }
        try {
            channel.truncate(0);
            lock.release();
        } finally {
            channel.close();
        }
    }

    /** Another run of the same plan holds the lock (exit code 3). */
    public static final class LockHeldException extends IOException {
        private static final long serialVersionUID = 1L;

        public LockHeldException(String message) {
            super(message);
        }
    }
}
