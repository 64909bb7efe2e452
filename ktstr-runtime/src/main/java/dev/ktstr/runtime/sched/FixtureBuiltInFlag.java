package dev.ktstr.runtime.sched;

import dev.ktstr.annotations.Flag;
import dev.ktstr.annotations.Scheduler;

/**
 * ktstr's six built-in flags (ktstr facts §6.3) as options of its fixture scheduler
 * ({@code schedulers/ktstr-fixture}): what {@code ktstr run --vm --scheduler ktstr_fixture --flags llc,steal}
 * passes to it. The names are the catalog's flag names ({@code Catalog.FLAGS}), so the same
 * {@code --flags} also select the scenarios meant for them.
 */
@Scheduler(name = "ktstr_fixture", binary = "ktstr_fixture")
public enum FixtureBuiltInFlag {
    /** One queue per LLC; a CPU serves its own LLC's. */
    @Flag(args = "--llc-aware")
    LLC,
    /** Waking tasks may use idle CPUs of other LLCs. */
    @Flag(args = "--borrow")
    BORROW,
    /** Idle CPUs take work from other LLCs' queues. */
    @Flag(args = "--steal", requires = "LLC")
    STEAL,
    /** A 100 ms rebalancing timer. */
    @Flag(args = {"--rebalance-ms", "100"})
    REBAL,
    /** No fast path for tasks pinned to one CPU. */
    @Flag(args = "--reject-pinned")
    REJECT_PIN,
    /** No control thread in the loader. */
    @Flag(args = "--no-ctrl")
    NO_CTRL,
}
