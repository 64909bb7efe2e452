package dev.ktstr.runtime.kernel;

/**
 * Finding, fetching, building, extracting or caching a kernel failed; {@link #kind()} names how, and
 * the message carries the evidence (the file, the command and its output tail, the missing option) in
 * one line that a user can act on.
 */
public class KernelException extends Exception {

    private static final long serialVersionUID = 1L;

    /** How a kernel operation failed. */
    public enum Kind {
        /** No usable kernel was found; the message says which command provides one. */
        NOT_FOUND,
        /** A file is not a usable kernel image: truncated, bad magic, no ELF inside, wrong machine. */
        BAD_IMAGE,
        /** The image's payload uses a compression this harness does not decompress. */
        UNSUPPORTED_COMPRESSION,
        /** The machine's apt sources name no Debian mirror for its release (and none was given). */
        NO_MIRROR,
        /** apt, the download or the package unpacking failed, or no package matched the request. */
        FETCH_FAILED,
        /** The downloaded file does not match the size or checksum apt published for it. */
        CHECKSUM_MISMATCH,
        /** A required host tool (apt-get, dpkg-deb, make) is missing. */
        TOOL_MISSING,
        /** {@code make} failed while configuring or building a kernel. */
        BUILD_FAILED,
        /** Required kernel options did not survive {@code make olddefconfig}. */
        CONFIG_REJECTED,
        /** A cache entry is incomplete or inconsistent; it is never booted. */
        CORRUPT_ENTRY,
        /** Reading or writing the cache failed (disk full, permissions, lock). */
        CACHE_IO
    }

    private final Kind kind;

    public KernelException(Kind kind, String message) {
        this(kind, message, null);
    }

    public KernelException(Kind kind, String message, Throwable cause) {
        super(kind + ": " + message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
