package dev.ktstr.examples;

import dev.ktstr.annotations.Flag;
import dev.ktstr.annotations.Scheduler;
import dev.ktstr.annotations.Topology;

/**
 * ktstr's six built-in flags (ktstr facts §6.3) on ktstr's own fixture scheduler
 * ({@code schedulers/ktstr-fixture}, which ktstr builds into its scheduler cache): each constant is a
 * flag, named by its kebab case ({@code REJECT_PIN} is {@code reject-pin}), and {@code steal} only makes
 * sense with {@code llc}. A test over this scheduler expands into 48 flag profiles per topology preset.
 */
@Scheduler(name = "ktstr_fixture", binary = "ktstr_fixture", topology = @Topology(llcs = 2, cores = 2),
        schedArgs = {"--exit-dump-len", "65536"})
public enum BuiltInFlag {
    /** One queue per LLC: a task waits on its LLC's queue and a CPU serves only its own LLC's. */
    @Flag(args = "--llc-aware")
    LLC,
    /** Waking tasks may use idle CPUs of other LLCs, and queued work may wake them. */
    @Flag(args = "--borrow")
    BORROW,
    /** A CPU about to go idle takes work from other LLCs' queues; meaningless without LLC awareness. */
    @Flag(args = "--steal", requires = "LLC")
    STEAL,
    /** Every 100 ms: move queued work from the longest LLC queue to the shortest, kick idle CPUs. */
    @Flag(args = {"--rebalance-ms", "100"})
    REBAL,
    /** No fast path for tasks pinned to one CPU: they queue like every other task. */
    @Flag(args = "--reject-pinned")
    REJECT_PIN,
    /** Run without the control thread (no counters, no stats file). */
    @Flag(args = "--no-ctrl")
    NO_CTRL,
}
