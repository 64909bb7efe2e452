package dev.ktstr.kvm.engine;

/** A VM could not be started; the message names the reason (missing kernel, bad image, engine error). */
public class VmStartException extends Exception {

    private static final long serialVersionUID = 1L;

    public VmStartException(String message) {
        super(message);
    }

    public VmStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
