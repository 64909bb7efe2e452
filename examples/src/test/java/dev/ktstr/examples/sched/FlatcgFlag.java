package dev.ktstr.examples.sched;

import dev.ktstr.annotations.Flag;
import dev.ktstr.annotations.Scheduler;
import dev.ktstr.annotations.Topology;

/**
 * scx_flatcg: the cgroup hierarchy flattened into one level of weighted vtime (getopt
 * {@code "s:i:fvh"}: {@code -s} slice in µs, {@code -i} stats interval, {@code -f} FIFO among a
 * cgroup's tasks).
 */
@Scheduler(name = "flatcg", binary = "scx_flatcg", topology = @Topology(llcs = 1, cores = 2))
public enum FlatcgFlag {
    /** FIFO among each cgroup's tasks ({@code -f}). */
    @Flag(args = "-f") FIFO,
    /** A 5 ms cgroup slice instead of the default 20 ms ({@code -s 5000}, µs). */
    @Flag(args = {"-s", "5000"}) SHORT_SLICE,
}
