package dev.ktstr.kvm.initramfs;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The few libc calls the shared-memory cache needs and Java does not offer: {@code open} with
 * {@code O_EXCL}/{@code O_NOFOLLOW} returning a descriptor, {@code flock(2)} (per open file
 * description, so it works between threads and processes alike, unlike {@code FileChannel.lock}),
 * {@code fstat} and {@code mmap}. Linux on x86-64 or AArch64, glibc 2.33 or later (which exports
 * {@code fstat}). Errors surface as {@link LastErrorException} with the errno.
 */
interface LibC extends Library {

    LibC C = Native.load("c", LibC.class);

    boolean AARCH64 = "aarch64".equals(System.getProperty("os.arch"));

    int O_RDONLY = 0;
    int O_RDWR = 2;
    int O_CREAT = 0100;
    int O_EXCL = 0200;
    int O_NOFOLLOW = AARCH64 ? 0100000 : 0400000;
    int O_CLOEXEC = 02000000;
    int O_NONBLOCK = 04000;

    int LOCK_SH = 1;
    int LOCK_EX = 2;
    int LOCK_NB = 4;
    int LOCK_UN = 8;

    int PROT_READ = 1;
    int PROT_WRITE = 2;
    int MAP_PRIVATE = 0x02;
    int MAP_FIXED = 0x10;
    int MAP_ANONYMOUS = 0x20;
    int MAP_POPULATE = 0x8000;

    int EINTR = 4;
    int ENOENT = 2;
    int EWOULDBLOCK = 11;
    int EPERM = 1;
    int EACCES = 13;
    int ELOOP = 40;

    int open(String path, int flags, int mode) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int flock(int fd, int operation) throws LastErrorException;

    int fstat(int fd, Pointer statbuf) throws LastErrorException;

    Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset) throws LastErrorException;

    int munmap(Pointer addr, long length) throws LastErrorException;

    int mprotect(Pointer addr, long length, int prot) throws LastErrorException;

    int geteuid();

    int getpagesize();

    /** The fields of {@code struct stat} the cache uses. */
    record Stat(long dev, long ino, long nlink, int uid, long size) {}

    /** {@code fstat(fd)}, decoding the architecture's {@code struct stat} layout. */
    static Stat fstat(int fd) {
        try (Memory m = new Memory(256)) {
            m.clear();
            C.fstat(fd, m);
            if (AARCH64) {
                // asm-generic: dev u64, ino u64, mode u32, nlink u32, uid u32, gid u32, rdev u64, pad, size i64
                return new Stat(m.getLong(0), m.getLong(8), Integer.toUnsignedLong(m.getInt(20)), m.getInt(24),
                        m.getLong(48));
            }
            // x86-64: dev u64, ino u64, nlink u64, mode u32, uid u32, gid u32, pad, rdev u64, size i64
            return new Stat(m.getLong(0), m.getLong(8), m.getLong(16), m.getInt(28), m.getLong(48));
        }
    }

    /** {@code close(fd)} on an error path: a failure is attached to {@code primary}, which stays the error. */
    static void closeAfter(int fd, Throwable primary) {
        if (fd >= 0) {
            try {
                C.close(fd);
            } catch (LastErrorException e) {
                primary.addSuppressed(e);
            }
        }
    }
}
