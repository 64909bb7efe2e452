package dev.ktstr.runtime.junit;

/**
 * A variant manifest that cannot be read: malformed JSON, a missing field, or a schema this runtime
 * does not know. The message names the manifest and what is wrong with it.
 */
public final class ManifestFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ManifestFormatException(String message) {
        super(message);
    }

    public ManifestFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
