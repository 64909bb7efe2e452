package dev.ktstr.annotations;

/**
 * The failure a test expects ({@link KtstrTest#expectErr()}): the test passes only when a run fails
 * with exactly this named reason.
 */
public enum ExpectedFailure {
    /** No failure expected: the run must pass. */
    NONE,
    /** Any failure at all. */
    ANY,
    /** The scheduler never reached "enabled" (load or verifier failure, wrong ops name, timeout). */
    SCHEDULER_ATTACH_FAILED,
    /** The scheduler process exited during the run. */
    SCHEDULER_EXITED,
    /** The kernel ejected the scheduler (sched_ext error exit, e.g. a runnable-task stall). */
    SCHEDULER_EJECTED,
    /** A worker made no progress. */
    STARVED,
    /** CPU-time spread across a cgroup's workers exceeded its limit. */
    UNFAIR,
    /** A worker went longer than the gap limit without running. */
    STUCK,
    /** A worker ran on a CPU outside its cgroup's cpuset. */
    ISOLATION,
    /** Any other threshold check (latency, throughput, migration, NUMA). */
    THRESHOLD,
    /** A host-side monitor check (imbalance, DSQ depth, stall, event rates). */
    MONITOR,
    /** The guest kernel panicked or the VM ended unexpectedly. */
    GUEST_CRASH,
    /** The VM watchdog fired. */
    TIMEOUT
}
