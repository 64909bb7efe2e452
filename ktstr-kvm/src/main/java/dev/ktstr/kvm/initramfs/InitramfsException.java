package dev.ktstr.kvm.initramfs;

/**
 * The initramfs could not be planned, written or cached. The message names what failed and the
 * evidence (the file, the archive path, the library and who needs it), in one line.
 */
public class InitramfsException extends Exception {

    private static final long serialVersionUID = 1L;

    public InitramfsException(String message) {
        super(message);
    }

    public InitramfsException(String message, Throwable cause) {
        super(message, cause);
    }
}
