package dev.ktstr.runtime.vm;

/** A guest failed to boot; {@link #failure()} names the reason and carries the console tail. */
public class BootException extends Exception {

    private static final long serialVersionUID = 1L;
    private final transient BootFailure failure;

    public BootException(BootFailure failure) {
        super(failure.describe());
        this.failure = failure;
    }

    public BootException(BootFailure failure, Throwable cause) {
        super(failure.describe(), cause);
        this.failure = failure;
    }

    public BootFailure failure() {
        return failure;
    }
}
