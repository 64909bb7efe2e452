package dev.ktstr.kvm.vmm.x86;

/** A kernel image cannot be booted by this VMM; the message says what is wrong with it. */
public final class InvalidKernelException extends Exception {

    private static final long serialVersionUID = 1L;

    public InvalidKernelException(String message) {
        super(message);
    }
}
