package dev.ktstr.kvm.initramfs;

import com.sun.jna.LastErrorException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Compressed base archives in POSIX shared memory ({@code /dev/shm}), named by content key, built
 * once however many threads and processes ask at the same time, and removed when nobody uses them.
 *
 * <p><b>Files</b> (all {@code <dir>/<prefix>…}, prefix {@code ktstr-base-} by default):
 * {@code <key>} the finished segment, exactly the LZ4 stream; {@code <key>.lock} the build gate;
 * {@code <key>.tmp.<pid>.<n>} a segment being written.
 *
 * <p><b>Protocol</b> (locks are {@code flock(2)}, per open file description, so threads with their
 * own descriptors exclude each other just as processes do):
 * <ol>
 *   <li>Reuse: open {@code <key>}; take a shared lock; check the descriptor is still the file at that
 *       path (a sweeper may have removed it in between) and that this user owns it. The shared lock
 *       is held until {@link #close()}.</li>
 *   <li>Otherwise build: take the exclusive lock of {@code <key>.lock} (created if missing; waiters
 *       poll until {@code lockTimeout}); if the gate file was replaced meanwhile, start over; if
 *       {@code <key>} appeared meanwhile, reuse it. Else create {@code <key>.tmp.<pid>.<n>} with
 *       {@code O_EXCL}, hold a shared lock on it from the start, write, {@code rename} it to
 *       {@code <key>} (atomic: nobody sees a partial segment), remove the gate, release it.</li>
 *   <li>Sweep (after this cache's first obtain, after every build, and on demand): every file with the prefix that this cache does not
 *       hold and on which an exclusive lock can be taken without waiting is unused — a segment of
 *       another key whose users are gone, or what a process killed with SIGKILL left (the kernel
 *       drops a dead process's locks) — and is removed.</li>
 *   <li>{@link #close()}: for each held segment, try to upgrade to an exclusive lock without
 *       waiting; if that works nobody else uses it and it is removed. A shutdown hook closes the
 *       {@link #shared()} cache.</li>
 * </ol>
 * Segments are created mode 0600 and a segment owned by another user is refused, so no other
 * account can plant a base under a key this process would trust. Thread-safe: threads asking for
 * the same key in one cache share one build.
 */
public final class BaseCache implements AutoCloseable {

    /** Where POSIX shared memory objects live on Linux ({@code shm_open("/x")} is {@code /dev/shm/x}). */
    public static final Path DEFAULT_DIR = Path.of("/dev/shm");
    public static final String DEFAULT_PREFIX = "ktstr-base-";
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofMinutes(5);

    private static final AtomicLong TMP_COUNTER = new AtomicLong();
    private static BaseCache shared;

    private final Path dir;
    private final String prefix;
    private final Duration lockTimeout;
    private final ExecutorService compressor;
    private final ConcurrentHashMap<String, CompletableFuture<CachedBase>> held = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicBoolean sweptOnce = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean closed;

    /**
     * @param dir         a tmpfs directory, normally {@link #DEFAULT_DIR}
     * @param prefix      name prefix of every file of this cache (and of what its sweep removes)
     * @param lockTimeout how long to wait for another builder of the same key
     * @param compressor  compresses 8 MiB blocks of large bases concurrently, or {@code null}
     */
    public BaseCache(Path dir, String prefix, Duration lockTimeout, ExecutorService compressor) {
        if (prefix.isEmpty() || prefix.contains("/")) {
            throw new IllegalArgumentException("cache prefix must be a non-empty file name part, got '" + prefix + "'");
        }
        this.dir = dir;
        this.prefix = prefix;
        this.lockTimeout = lockTimeout;
        this.compressor = compressor;
    }

    /**
     * The process-wide cache in {@code /dev/shm} with prefix {@code ktstr-base-}, closed by a JVM
     * shutdown hook.
     */
    public static synchronized BaseCache shared() {
        if (shared == null) {
            BaseCache c = new BaseCache(DEFAULT_DIR, DEFAULT_PREFIX, DEFAULT_LOCK_TIMEOUT, ForkJoinPool.commonPool());
            Runtime.getRuntime().addShutdownHook(new Thread(c::close, "ktstr-base-cache-close"));
            shared = c;
        }
        return shared;
    }

    public Path dir() {
        return dir;
    }

    public String prefix() {
        return prefix;
    }

    /** The segment path for {@code key}. */
    public Path segmentPath(String key) {
        return dir.resolve(prefix + key);
    }

    /**
     * The cached base for {@code plan}: reused if any thread or process built it, else built here.
     * The segment stays locked (and so in place) until {@link #close()}.
     */
    public CachedBase obtain(BasePlan plan) throws IOException, InitramfsException {
        for (;;) {
            ensureOpen();
            CompletableFuture<CachedBase> mine = new CompletableFuture<>();
            CompletableFuture<CachedBase> theirs = held.putIfAbsent(plan.key(), mine);
            if (theirs == null) {
                try {
                    CachedBase b = acquire(plan);
                    mine.complete(b);
                    if (closed) {
                        release(b);
                        throw new IllegalStateException("base cache " + dir + "/" + prefix + "* was closed");
                    }
                    // After a build, and once per cache even when it builds nothing: what killed runs left.
                    if (sweptOnce.compareAndSet(false, true) | b.builtHere()) {
                        sweepStale();
                    }
                    return b;
                } catch (IOException | InitramfsException | RuntimeException | Error e) {
                    held.remove(plan.key(), mine);
                    mine.completeExceptionally(e);
                    throw e;
                }
            }
            try {
                return theirs.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted waiting for base " + plan.key());
            } catch (ExecutionException e) {
                throw new InitramfsException("base " + plan.key() + " could not be obtained in another thread: "
                        + e.getCause().getMessage(), e.getCause());
            }
        }
    }

    private CachedBase acquire(BasePlan plan) throws IOException, InitramfsException {
        Path fin = segmentPath(plan.key());
        Path gate = dir.resolve(prefix + plan.key() + ".lock");
        long deadline = System.nanoTime() + lockTimeout.toNanos();
        for (int attempt = 0; attempt < 100; attempt++) {
            CachedBase reused = tryReuse(plan, fin, deadline);
            if (reused != null) {
                return reused;
            }
            int g = open(gate, LibC.O_RDWR | LibC.O_CREAT | LibC.O_CLOEXEC | LibC.O_NOFOLLOW, 0600);
            try {
                lock(g, LibC.LOCK_EX, deadline, gate, "another builder of base " + plan.key());
                if (!stillAt(g, gate)) {
                    continue;
                }
                CachedBase b = tryReuse(plan, fin, deadline);
                if (b == null) {
                    b = build(plan, fin);
                }
                Files.deleteIfExists(gate);
                return b;
            } finally {
                close(g, gate);
            }
        }
        throw new InitramfsException("base " + fin + " vanished 100 times while being obtained; another process keeps"
                + " removing it");
    }

    /** Opens and share-locks the finished segment, or returns null if it is absent or was just removed. */
    private CachedBase tryReuse(BasePlan plan, Path fin, long deadline) throws IOException, InitramfsException {
        int fd;
        try {
            fd = LibC.C.open(fin.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC | LibC.O_NOFOLLOW, 0);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == LibC.ENOENT) {
                return null;
            }
            throw new IOException("cannot open cached base " + fin + ": errno " + e.getErrorCode(), e);
        }
        try {
            lock(fd, LibC.LOCK_SH, deadline, fin, "a process removing " + fin);
            if (stillAt(fd, fin)) {
                LibC.Stat st = LibC.fstat(fd);
                int me = LibC.C.geteuid();
                if (st.uid() != me) {
                    throw new InitramfsException("cached base " + fin + " belongs to uid " + st.uid() + ", not to uid "
                            + me + "; refusing to boot from it (remove it or use another cache prefix)");
                }
                return new CachedBase(plan.key(), fin, st.size(), plan.uncompressedSize(), false, fd);
            }
        } catch (IOException | InitramfsException | RuntimeException e) {
            LibC.closeAfter(fd, e);
            throw e;
        }
        close(fd, fin);
        return null;
    }

    private CachedBase build(BasePlan plan, Path fin) throws IOException {
        Path tmp = dir.resolve(prefix + plan.key() + ".tmp." + ProcessHandle.current().pid() + "."
                + TMP_COUNTER.incrementAndGet());
        int fd = open(tmp, LibC.O_RDWR | LibC.O_CREAT | LibC.O_EXCL | LibC.O_CLOEXEC | LibC.O_NOFOLLOW, 0600);
        try {
            lock(fd, LibC.LOCK_SH | LibC.LOCK_NB, 0, tmp, "nobody (fresh file)");
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp, StandardOpenOption.WRITE),
                    1 << 16)) {
                ArchiveWriter.writeBase(plan, out, compressor);
            }
            Files.move(tmp, fin, StandardCopyOption.ATOMIC_MOVE);
            return new CachedBase(plan.key(), fin, LibC.fstat(fd).size(), plan.uncompressedSize(), true, fd);
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException d) {
                e.addSuppressed(d);
            }
            LibC.closeAfter(fd, e);
            throw e;
        }
    }

    /**
     * Removes every file with this cache's prefix that nobody holds a lock on and that this cache
     * does not hold: segments of other keys whose users are gone, gates and partial segments of
     * killed builders. Returns how many were removed.
     */
    public int sweepStale() throws IOException {
        List<String> mine = new ArrayList<>();
        for (Map.Entry<String, CompletableFuture<CachedBase>> e : held.entrySet()) {
            mine.add(prefix + e.getKey());
        }
        int removed = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, p -> p.getFileName().toString().startsWith(prefix))) {
            for (Path p : ds) {
                if (mine.contains(p.getFileName().toString())) {
                    continue;
                }
                int fd;
                try {
                    fd = LibC.C.open(p.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC | LibC.O_NOFOLLOW | LibC.O_NONBLOCK, 0);
                } catch (LastErrorException e) {
                    int errno = e.getErrorCode();
                    if (errno == LibC.ENOENT || errno == LibC.ELOOP || errno == LibC.EACCES || errno == LibC.EPERM) {
                        continue; // removed meanwhile, a symlink, or another user's: nothing this cache may remove
                    }
                    throw new IOException("cannot open " + p + " to check whether it is stale: errno " + errno, e);
                }
                try {
                    if (tryLock(fd, LibC.LOCK_EX) && stillAt(fd, p) && LibC.fstat(fd).uid() == LibC.C.geteuid()) {
                        Files.deleteIfExists(p);
                        removed++;
                    }
                } finally {
                    close(fd, p);
                }
            }
        }
        return removed;
    }

    /** Names of the segments this cache holds, for diagnostics and tests. */
    public List<Path> heldSegments() {
        List<Path> out = new ArrayList<>();
        for (CompletableFuture<CachedBase> f : held.values()) {
            if (f.isDone() && !f.isCompletedExceptionally()) {
                out.add(f.join().segment());
            }
        }
        return out;
    }

    /**
     * Releases every held segment; removes those no other process holds. Boots from them must be
     * over (or have copied or mapped the base) by now. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        RuntimeException failure = null;
        for (Map.Entry<String, CompletableFuture<CachedBase>> e : held.entrySet()) {
            CompletableFuture<CachedBase> f = e.getValue();
            if (f.isDone() && !f.isCompletedExceptionally() && held.remove(e.getKey(), f)) {
                try {
                    release(f.join());
                } catch (RuntimeException r) {
                    if (failure == null) {
                        failure = r;
                    } else {
                        failure.addSuppressed(r);
                    }
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static void release(CachedBase b) {
        RuntimeException failure = null;
        try {
            if (tryLock(b.fd(), LibC.LOCK_EX) && stillAt(b.fd(), b.segment())) {
                Files.deleteIfExists(b.segment());
            }
        } catch (IOException e) {
            failure = new java.io.UncheckedIOException("cannot remove cached base " + b.segment(), e);
        }
        try {
            LibC.C.close(b.fd());
        } catch (LastErrorException e) {
            RuntimeException c = new IllegalStateException("close of " + b.segment() + " failed: errno "
                    + e.getErrorCode(), e);
            if (failure == null) {
                failure = c;
            } else {
                failure.addSuppressed(c);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("base cache " + dir + "/" + prefix + "* is closed");
        }
    }

    /** Whether {@code fd} is still the file at {@code path} (not removed or replaced since it was opened). */
    private static boolean stillAt(int fd, Path path) throws IOException {
        LibC.Stat st = LibC.fstat(fd);
        if (st.nlink() == 0) {
            return false;
        }
        try {
            Map<String, Object> a = Files.readAttributes(path, "unix:dev,ino", LinkOption.NOFOLLOW_LINKS);
            return (Long) a.get("dev") == st.dev() && (Long) a.get("ino") == st.ino();
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    private static int open(Path p, int flags, int mode) throws IOException {
        try {
            return LibC.C.open(p.toString(), flags, mode);
        } catch (LastErrorException e) {
            throw new IOException("open " + p + " failed: errno " + e.getErrorCode(), e);
        }
    }

    private static void close(int fd, Path p) throws IOException {
        try {
            LibC.C.close(fd);
        } catch (LastErrorException e) {
            throw new IOException("close " + p + " failed: errno " + e.getErrorCode(), e);
        }
    }

    private static boolean tryLock(int fd, int op) throws IOException {
        try {
            LibC.C.flock(fd, op | LibC.LOCK_NB);
            return true;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == LibC.EWOULDBLOCK || e.getErrorCode() == LibC.EINTR) {
                return false;
            }
            throw new IOException("flock failed: errno " + e.getErrorCode(), e);
        }
    }

    /** Takes lock {@code op}, polling without blocking the JVM in native code, until {@code deadline}. */
    private static void lock(int fd, int op, long deadline, Path p, String holder) throws IOException {
        long sleepMs = 1;
        while (!tryLock(fd, op & ~LibC.LOCK_NB)) {
            if ((op & LibC.LOCK_NB) != 0 || System.nanoTime() - deadline > 0) {
                throw new IOException("timed out waiting for the lock on " + p + ", held by " + holder);
            }
            try {
                Thread.sleep(sleepMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted waiting for the lock on " + p);
            }
            sleepMs = Math.min(sleepMs * 2, 20);
        }
    }
}
