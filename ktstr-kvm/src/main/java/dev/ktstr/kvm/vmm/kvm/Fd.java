package dev.ktstr.kvm.vmm.kvm;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.ktstr.kvm.vmm.sys.LibC;
import dev.ktstr.kvm.vmm.sys.NativeCallException;

/** An owned file descriptor with ioctl helpers that turn errno into {@link NativeCallException}. */
abstract class Fd implements AutoCloseable {

    private volatile int fd;

    Fd(int fd) {
        this.fd = fd;
    }

    final int fd() {
        int f = fd;
        if (f < 0) {
            throw new IllegalStateException(getClass().getSimpleName() + " is closed");
        }
        return f;
    }

    final int ioctl(String name, long request, long arg) {
        try {
            return LibC.ioctl(fd(), request, arg);
        } catch (LastErrorException e) {
            throw NativeCallException.of(name, e);
        }
    }

    final int ioctl(String name, long request, Pointer arg) {
        try {
            return LibC.ioctl(fd(), request, arg);
        } catch (LastErrorException e) {
            throw NativeCallException.of(name, e);
        }
    }

    /** Zeroed native memory of {@code size} bytes (JNA's Memory is not zeroed). */
    static Memory zeroed(long size) {
        Memory m = new Memory(size);
        m.clear();
        return m;
    }

    /** Closes the descriptor once; later calls do nothing. */
    @Override
    public void close() {
        int f;
        synchronized (this) {
            f = fd;
            fd = -1;
        }
        if (f >= 0) {
            try {
                LibC.close(f);
            } catch (LastErrorException e) {
                throw NativeCallException.of("close(" + getClass().getSimpleName() + ")", e);
            }
        }
    }
}
