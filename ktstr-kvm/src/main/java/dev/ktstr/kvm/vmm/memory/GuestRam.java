package dev.ktstr.kvm.vmm.memory;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;
import dev.ktstr.kvm.engine.GuestMemory;
import dev.ktstr.kvm.vmm.sys.LibC;
import dev.ktstr.kvm.vmm.sys.NativeCallException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Guest RAM as one shared mapping of a memfd (memfd_create(2)): the host reads and writes it by
 * guest-physical address, KVM maps slices of it as memory slots, and another process may map the same
 * pages through {@link #sharePath()} while the VM lives. Pages are allocated on first touch, so a
 * large guest that uses little costs little.
 *
 * <p>Accesses through this class are checked against the {@link MemoryLayout} and are safe against a
 * concurrent {@link #close()}; buffers from {@link #buffer} are raw views and must not be used after
 * close.
 */
public final class GuestRam implements GuestMemory, AutoCloseable {

    private final MemoryLayout layout;
    private final int memfd;
    private final long base;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    private GuestRam(MemoryLayout layout, int memfd, long base) {
        this.layout = layout;
        this.memfd = memfd;
        this.base = base;
    }

    /** Creates the memfd ({@code name} shows in /proc/PID/maps as {@code /memfd:name}) and maps it. */
    public static GuestRam allocate(MemoryLayout layout, String name) {
        int fd;
        try {
            fd = LibC.memfd_create(name, LibC.MFD_CLOEXEC);
        } catch (LastErrorException e) {
            throw NativeCallException.of("memfd_create(" + name + ")", e);
        }
        try {
            LibC.ftruncate(fd, layout.ramBytes());
            long addr = LibC.mmap(0, layout.ramBytes(), LibC.PROT_READ | LibC.PROT_WRITE,
                    LibC.MAP_SHARED | LibC.MAP_NORESERVE, fd, 0);
            return new GuestRam(layout, fd, addr);
        } catch (LastErrorException e) {
            LibC.close(fd);
            throw NativeCallException.of("mapping " + layout.ramBytes() + " bytes of guest RAM", e);
        }
    }

    public MemoryLayout layout() {
        return layout;
    }

    /** Host virtual address of {@code gpa} (for KVM memory slots). */
    public long hostAddress(long gpa) {
        return base + checkedOffset(gpa, 1);
    }

    /** A path another process on this host can open and mmap to share guest RAM, while the VM lives. */
    public String sharePath() {
        return "/proc/" + LibC.getpid() + "/fd/" + memfd;
    }

    public int memfd() {
        return memfd;
    }

    @Override
    public long ramBytes() {
        return layout.ramBytes();
    }

    @Override
    public boolean contains(long gpa, long len) {
        return layout.ramOffsetOf(gpa, len) >= 0;
    }

    @Override
    public void read(long gpa, byte[] dst, int off, int len) {
        long ramOff = checkedOffset(gpa, len);
        lock.readLock().lock();
        try {
            ensureOpen();
            new Pointer(base).read(ramOff, dst, off, len);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void write(long gpa, byte[] src, int off, int len) {
        long ramOff = checkedOffset(gpa, len);
        lock.readLock().lock();
        try {
            ensureOpen();
            new Pointer(base).write(ramOff, src, off, len);
        } finally {
            lock.readLock().unlock();
        }
    }

    public void write(long gpa, byte[] src) {
        write(gpa, src, 0, src.length);
    }

    /** Zeroes {@code len} bytes at {@code gpa}. */
    public void clear(long gpa, long len) {
        long ramOff = checkedOffset(gpa, len);
        lock.readLock().lock();
        try {
            ensureOpen();
            new Pointer(base + ramOff).setMemory(0, len, (byte) 0);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * A direct little-endian buffer over {@code [gpa, gpa+len)} (at most 2 GiB). It aliases guest RAM:
     * no copy, and invalid after {@link #close()}.
     */
    public ByteBuffer buffer(long gpa, long len) {
        if (len > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a buffer spans at most 2 GiB, asked for " + len);
        }
        long ramOff = checkedOffset(gpa, len);
        lock.readLock().lock();
        try {
            ensureOpen();
            return new Pointer(base).getByteBuffer(ramOff, len).order(ByteOrder.LITTLE_ENDIAN);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Copies {@code len} bytes of {@code ch} from {@code position} into guest RAM at {@code gpa}. */
    public void load(long gpa, FileChannel ch, long position, long len) throws IOException {
        long done = 0;
        while (done < len) {
            int chunk = (int) Math.min(len - done, 1 << 30);
            ByteBuffer dst = buffer(gpa + done, chunk);
            while (dst.hasRemaining()) {
                int n = ch.read(dst, position + done + dst.position());
                if (n < 0) {
                    throw new IOException("unexpected end of file after " + (done + dst.position()) + " of " + len
                            + " bytes");
                }
            }
            done += chunk;
        }
    }

    private long checkedOffset(long gpa, long len) {
        long off = layout.ramOffsetOf(gpa, len);
        if (off < 0) {
            throw new IndexOutOfBoundsException(String.format(
                    "guest range [0x%x, 0x%x) is not RAM (RAM below the hole ends at 0x%x; %d bytes above 4 GiB)", gpa,
                    gpa + len, layout.lowRamEnd(), layout.highRamBytes()));
        }
        return off;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("guest RAM was released (VM closed)");
        }
    }

    /** Unmaps RAM and closes the memfd; idempotent. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                LibC.munmap(base, layout.ramBytes());
            } finally {
                LibC.close(memfd);
            }
        } catch (LastErrorException e) {
            throw NativeCallException.of("releasing guest RAM", e);
        } finally {
            lock.writeLock().unlock();
        }
    }
}
