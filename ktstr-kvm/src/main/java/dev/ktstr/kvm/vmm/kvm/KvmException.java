package dev.ktstr.kvm.vmm.kvm;

/**
 * KVM cannot be used as the VMM needs it: no device, no permission, a wrong API version or a missing
 * capability. The message says which, in one line.
 */
public final class KvmException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public KvmException(String message) {
        super(message);
    }

    public KvmException(String message, Throwable cause) {
        super(message, cause);
    }
}
