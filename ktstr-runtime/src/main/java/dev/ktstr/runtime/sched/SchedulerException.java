package dev.ktstr.runtime.sched;

/**
 * Finding, building or describing a scheduler failed before any VM booted; {@link #kind()} names how
 * and the message carries the evidence in one line (every place searched, the failing command and
 * its output tail, the bad annotation value).
 */
public class SchedulerException extends Exception {

    private static final long serialVersionUID = 1L;

    /** How a scheduler operation failed. */
    public enum Kind {
        /** Discovery found no binary; the message names every place it looked. */
        NOT_FOUND,
        /** A {@code @Scheduler} enum or a flag selection is inconsistent. */
        BAD_DEFINITION,
        /** A host tool the build needs (clang-19, make, gcc, dpkg-deb, tar) is missing. */
        TOOL_MISSING,
        /** Locating or downloading the kernel source package failed. */
        FETCH_FAILED,
        /** A compile or link step failed. */
        BUILD_FAILED,
        /** The kernel has no BTF or no vmlinux to build against. */
        KERNEL_UNSUITABLE,
        /** Reading or writing the scheduler cache failed. */
        CACHE_IO,
        /** A ktstr tool run in the guest (ktstr_progs) failed or printed something unreadable. */
        GUEST_TOOL
    }

    private final Kind kind;

    public SchedulerException(Kind kind, String message) {
        this(kind, message, null);
    }

    public SchedulerException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
