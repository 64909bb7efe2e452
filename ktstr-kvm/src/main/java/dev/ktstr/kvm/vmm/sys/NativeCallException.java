package dev.ktstr.kvm.vmm.sys;

import com.sun.jna.LastErrorException;

/**
 * A system call or ioctl failed. The message names the call and the errno, e.g.
 * {@code "KVM_CREATE_VM failed: EINTR"}; {@link #errno()} lets callers retry or classify.
 */
public final class NativeCallException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;

    public NativeCallException(String call, int errno) {
        super(call + " failed: " + Errno.name(errno));
        this.call = call;
        this.errno = errno;
    }

    public NativeCallException(String call, int errno, String detail) {
        super(call + " failed: " + Errno.name(errno) + " (" + detail + ")");
        this.call = call;
        this.errno = errno;
    }

    /** Wraps JNA's exception for {@code call}. */
    public static NativeCallException of(String call, LastErrorException e) {
        return new NativeCallException(call, e.getErrorCode());
    }

    public String call() {
        return call;
    }

    public int errno() {
        return errno;
    }
}
