package dev.ktstr.kvm.introspect;

/**
 * The guest kernel was booted with KASLR, so its addresses cannot be derived from the vmlinux. The
 * message starts with {@code KASLR active (boot with nokaslr)} followed by the evidence.
 */
public final class KaslrActiveException extends IntrospectException {

    private static final long serialVersionUID = 1L;

    /** The fixed start of every message; the monitor prints it after {@code monitor disabled: }. */
    public static final String PREFIX = "KASLR active (boot with nokaslr)";

    public KaslrActiveException(String evidence) {
        super(PREFIX + ": " + evidence);
    }
}
