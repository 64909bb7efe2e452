package dev.ktstr.kvm.vmm.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The few glibc functions the VMM calls, bound by JNA direct mapping (x86-64 Linux, glibc).
 *
 * <p>Every variadic C function ({@code ioctl}, {@code syscall}, {@code open}) is declared with a
 * fixed arity: on x86-64 the System V calling convention passes integer arguments of variadic and
 * fixed calls in the same registers, and these wrappers only forward them to the kernel. Functions
 * that report failure through {@code errno} declare {@link LastErrorException}; callers convert it
 * into a {@link NativeCallException} naming the call.
 */
public final class LibC {

    static {
        Native.register(LibC.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    public static final int O_RDONLY = 0;
    public static final int O_RDWR = 2;
    public static final int O_CLOEXEC = 0x80000;

    public static final int PROT_NONE = 0;
    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int MAP_SHARED = 0x01;
    public static final int MAP_PRIVATE = 0x02;
    public static final int MAP_FIXED = 0x10;
    public static final int MAP_ANONYMOUS = 0x20;
    public static final int MAP_NORESERVE = 0x4000;
    /** {@code (void *) -1}. */
    public static final long MAP_FAILED = -1L;

    public static final int MFD_CLOEXEC = 0x1;

    public static final int SIG_BLOCK = 0;
    public static final int SIG_UNBLOCK = 1;
    public static final int SIG_SETMASK = 2;
    /** glibc's {@code sizeof(sigset_t)}: 1024 bits. */
    public static final int GLIBC_SIGSET_BYTES = 128;

    public static final long SYS_GETTID = 186;
    public static final long SYS_TGKILL = 234;

    private LibC() {}

    public static native int open(String path, int flags) throws LastErrorException;

    public static native int close(int fd) throws LastErrorException;

    public static native int ioctl(int fd, long request, long arg) throws LastErrorException;

    public static native int ioctl(int fd, long request, Pointer arg) throws LastErrorException;

    public static native long mmap(long addr, long length, int prot, int flags, int fd, long offset)
            throws LastErrorException;

    public static native int munmap(long addr, long length) throws LastErrorException;

    public static native int memfd_create(String name, int flags) throws LastErrorException;

    public static native int ftruncate(int fd, long length) throws LastErrorException;

    public static native int getpid();

    public static native long syscall(long number) throws LastErrorException;

    public static native long syscall(long number, long a0, long a1, long a2) throws LastErrorException;

    public static native int sigemptyset(Pointer set) throws LastErrorException;

    public static native int sigaddset(Pointer set, int signum) throws LastErrorException;

    /** Returns the error number directly (pthread functions do not use errno). */
    public static native int pthread_sigmask(int how, Pointer set, Pointer oldset);

    public static native int sigtimedwait(Pointer set, Pointer info, Pointer timeout) throws LastErrorException;

    public static native int __libc_current_sigrtmin();

    /** {@code sched_setaffinity(0, size, mask)} pins the calling thread. */
    public static native int sched_setaffinity(int pid, long cpusetsize, Pointer mask) throws LastErrorException;
}
