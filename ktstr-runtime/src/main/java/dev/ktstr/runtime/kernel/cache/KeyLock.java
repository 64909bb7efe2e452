package dev.ktstr.runtime.kernel.cache;

import dev.ktstr.runtime.kernel.KernelException;
import dev.ktstr.runtime.kernel.KernelException.Kind;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An exclusive lock on one cache key, held by one thread of one process at a time: a
 * {@link ReentrantLock} per lock file inside this JVM (file locks belong to the process, and a second
 * {@code FileChannel.lock} in the same JVM would throw) plus an {@code flock}-style {@link FileLock} on
 * {@code <cache root>/.locks/<key>.lock} across processes. The kernel drops the file lock when the
 * process dies, so a killed run never blocks the next. Lock files stay in place: deleting one while
 * another process waits on it would let two holders in.
 */
public final class KeyLock implements AutoCloseable {

    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final ReentrantLock threadLock;
    private final FileChannel channel;
    private final FileLock fileLock;

    private KeyLock(ReentrantLock threadLock, FileChannel channel, FileLock fileLock) {
        this.threadLock = threadLock;
        this.channel = channel;
        this.fileLock = fileLock;
    }

    /** Blocks until the lock on {@code key} is held. */
    public static KeyLock acquire(Path locksDir, String key) throws KernelException {
        Path file = lockFile(locksDir, key);
        ReentrantLock tl = IN_PROCESS.computeIfAbsent(file, f -> new ReentrantLock());
        tl.lock();
        return lockFile(file, tl, true).orElseThrow();
    }

    /** Takes the lock on {@code key} if nobody holds it, else returns empty at once. */
    public static Optional<KeyLock> tryAcquire(Path locksDir, String key) throws KernelException {
        Path file = lockFile(locksDir, key);
        ReentrantLock tl = IN_PROCESS.computeIfAbsent(file, f -> new ReentrantLock());
        if (!tl.tryLock()) {
            return Optional.empty();
        }
        return lockFile(file, tl, false);
    }

    private static Optional<KeyLock> lockFile(Path file, ReentrantLock tl, boolean block) throws KernelException {
        if (tl.getHoldCount() > 1) {
            // Re-entered by the same thread: the file lock is already ours.
            return Optional.of(new KeyLock(tl, null, null));
        }
        FileChannel ch = null;
        try {
            Files.createDirectories(file.getParent());
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock fl = block ? ch.lock() : ch.tryLock();
            if (fl == null) {
                ch.close();
                tl.unlock();
                return Optional.empty();
            }
            return Optional.of(new KeyLock(tl, ch, fl));
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch, e);
            tl.unlock();
            throw new KernelException(Kind.CACHE_IO, "cannot lock " + file + ": " + e, e);
        }
    }

    private static Path lockFile(Path locksDir, String key) {
        return locksDir.resolve(CacheKeys.require(key) + ".lock").toAbsolutePath().normalize();
    }

    private static void closeQuietly(FileChannel ch, Exception primary) {
        if (ch == null) {
            return;
        }
        try {
            ch.close();
        } catch (IOException e) {
            primary.addSuppressed(e);
        }
    }

    @Override
    public void close() throws KernelException {
        try (FileChannel ch = channel) {
            if (fileLock != null) {
                fileLock.release();
            }
        } catch (IOException e) {
            throw new KernelException(Kind.CACHE_IO, "cannot release a cache lock: " + e, e);
        } finally {
            threadLock.unlock();
        }
    }
}
