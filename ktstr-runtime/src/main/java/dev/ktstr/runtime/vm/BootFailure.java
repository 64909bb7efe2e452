package dev.ktstr.runtime.vm;

import java.util.List;

/**
 * Why a guest did not come up, with the console tail as evidence.
 *
 * @param kind         the named reason
 * @param message      one line for humans
 * @param consoleTail  the last console lines, oldest first
 */
public record BootFailure(Kind kind, String message, List<String> consoleTail) {

    /** Every way a boot can fail. */
    public enum Kind {
        /** No kernel image where one was expected. */
        MISSING_KERNEL,
        /** The kernel image is not a bootable image. */
        CORRUPT_KERNEL,
        /** The guest's init found the initramfs marker missing. */
        INITRAMFS_TRUNCATED,
        /** The guest kernel panicked before the agent answered. */
        KERNEL_PANIC,
        /** Nothing answered within the boot timeout. */
        GUEST_HANG,
        /** The agent started but reported a fatal error (e.g. no agent region). */
        AGENT_FAILED,
        /** The VM ended before the agent answered, for another reason. */
        VM_ENDED,
        /** The engine could not start the VM at all. */
        ENGINE_FAILED,
        /** No usable VM engine on this host. */
        NO_ENGINE
    }

    /** The failure as a multi-line block: reason, then the console tail. */
    public String describe() {
        StringBuilder sb = new StringBuilder(kind + ": " + message);
        if (!consoleTail.isEmpty()) {
            sb.append("\n--- console (last ").append(consoleTail.size()).append(" lines) ---");
            for (String l : consoleTail) {
                sb.append('\n').append(l);
            }
        }
        return sb.toString();
    }
}
