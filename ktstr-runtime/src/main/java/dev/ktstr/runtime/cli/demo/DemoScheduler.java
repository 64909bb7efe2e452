package dev.ktstr.runtime.cli.demo;

import dev.ktstr.annotations.Flag;
import dev.ktstr.annotations.Scheduler;
import dev.ktstr.annotations.Topology;

/** scx_simple from the kernel's tools/sched_ext, built into the scheduler cache on first use. */
@Scheduler(name = "simple", binary = "scx_simple", topology = @Topology(llcs = 2, cores = 2, threads = 2))
public enum DemoScheduler {
    /** FIFO instead of weighted vtime. */
    @Flag(args = "-f")
    FIFO
}
