package dev.ktstr.examples.sched;

import dev.ktstr.annotations.Flag;
import dev.ktstr.annotations.Scheduler;

/**
 * scx_simple from the kernel's tools/sched_ext: one global queue, weighted vtime by default, FIFO
 * with {@code -f} (getopt {@code "fvh"}). ktstr builds it into its scheduler cache.
 */
@Scheduler(name = "simple", binary = "scx_simple")
public enum SimpleFlag {
    /** FIFO instead of weighted vtime ({@code -f}). */
    @Flag(args = "-f") FIFO,
}
