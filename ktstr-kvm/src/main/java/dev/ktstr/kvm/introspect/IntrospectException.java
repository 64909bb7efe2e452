package dev.ktstr.kvm.introspect;

/**
 * Guest-kernel introspection could not produce a trustworthy answer: malformed or missing BTF, an
 * unknown symbol, an unmapped kernel address, a layout this reader does not know. The message is one
 * line that names what was looked for and the evidence (address, type name, offset).
 */
public class IntrospectException extends Exception {

    private static final long serialVersionUID = 1L;

    public IntrospectException(String message) {
        super(message);
    }
}
