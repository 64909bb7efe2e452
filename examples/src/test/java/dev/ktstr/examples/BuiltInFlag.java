package dev.ktstr.examples;

import dev.ktstr.annotations.Flag;
import dev.ktstr.annotations.Scheduler;
import dev.ktstr.annotations.Topology;

/**
 * A sched_ext scheduler with ktstr's six built-in flags (ktstr facts §6.3): each constant is a flag,
 * named by its kebab case ({@code REJECT_PIN} is {@code reject-pin}), and {@code steal} only makes sense
 * with {@code llc}. A test over this scheduler expands into 48 flag profiles per topology preset.
 */
@Scheduler(name = "demo", binary = "scx_demo", topology = @Topology(llcs = 2, cores = 2),
        schedArgs = {"--exit-dump-len", "65536"})
public enum DemoFlag {
    /** Keep tasks on their last LLC. */
    @Flag(args = "--llc-aware")
    LLC,
    /** Let idle cgroups lend their CPUs. */
    @Flag(args = "--borrow")
    BORROW,
    /** Steal work across LLCs; meaningless without LLC awareness. */
    @Flag(args = "--steal", requires = "LLC")
    STEAL,
    /** Periodic rebalancing. */
    @Flag(args = {"--rebalance-ms", "100"})
    REBAL,
    /** Refuse tasks pinned to one CPU. */
    @Flag(args = "--reject-pinned")
    REJECT_PIN,
    /** Run without the control thread. */
    @Flag(args = "--no-ctrl")
    NO_CTRL,
}
