package dev.ktstr.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A scheduler test. The annotated method takes one parameter, the test context
 * ({@code dev.ktstr.runtime.Ctx}), is not private, and lives in a class with an accessible no-argument
 * constructor (or is static). At compile time it expands into a base test on its declared topology
 * plus one gauntlet variant per accepted topology preset × valid flag profile.
 *
 * <p>Topology attributes left at {@link #INHERIT} take the scheduler's {@link Scheduler#topology()};
 * constraint and check attributes left unset inherit from the scheduler, then from the defaults.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface KtstrTest {

    /** "Not set here": inherit from the scheduler or the default. */
    int INHERIT = -1;

    // --- topology -------------------------------------------------------------------------------

    /** LLCs in total (default 1). */
    int llcs() default INHERIT;

    /** Cores per LLC (default 2). */
    int cores() default INHERIT;

    /** Threads per core (default 1). */
    int threads() default INHERIT;

    /** NUMA nodes (default 1). */
    int numaNodes() default INHERIT;

    /** Guest memory in MiB; gauntlet VMs get at least {@code max(cpus*64, 256)}. */
    int memoryMb() default 2048;

    // --- scheduler ------------------------------------------------------------------------------

    /** The {@link Scheduler} enum whose flags this test expands over; the kernel default if unset. */
    Class<? extends Enum<?>> scheduler() default KernelDefault.class;

    /** Scheduler arguments this test adds after the scheduler's own and before the flags'. */
    String[] extraSchedArgs() default {};

    /** The sched_ext watchdog timeout the guest kernel applies, in seconds. */
    int watchdogTimeoutS() default 4;

    /** Host files (binaries are resolved with their shared libraries) copied into the guest. */
    String[] extraIncludeFiles() default {};

    // --- flags ----------------------------------------------------------------------------------

    /** Flags present in every profile (constant names such as {@code "LLC"} or kebab names such as {@code "llc"}). */
    String[] requiredFlags() default {};

    /** Flags absent from every profile. */
    String[] excludedFlags() default {};

    // --- topology constraints for the gauntlet --------------------------------------------------

    int minNumaNodes() default INHERIT;

    int maxNumaNodes() default INHERIT;

    int minLlcs() default INHERIT;

    int maxLlcs() default INHERIT;

    int minCpus() default INHERIT;

    int maxCpus() default INHERIT;

    boolean requiresSmt() default false;

    // --- execution ------------------------------------------------------------------------------

    /** Scenario duration in seconds. */
    int durationS() default 2;

    /** Workers per cgroup when a scenario does not say. */
    int workersPerCgroup() default 2;

    /** The failure this test expects; it then passes only when that failure happens. */
    ExpectedFailure expectErr() default ExpectedFailure.NONE;

    /** Runs on the host without a VM. */
    boolean hostOnly() default false;

    /** Host isolation for reproducible measurements (pinning, hugepages, RT vCPUs). */
    boolean performanceMode() default false;

    /** On a scheduler failure, rerun with probes to capture crash-path state. */
    boolean autoRepro() default true;

    /** Fail when host-side teardown takes longer than this many milliseconds. */
    long cleanupBudgetMs() default INHERIT;

    // --- checks ---------------------------------------------------------------------------------

    /** Fail if any worker made no progress (default on). */
    Toggle notStarved() default Toggle.INHERIT;

    /** Fail if a worker ran outside its cgroup's cpuset (default off). */
    Toggle isolation() default Toggle.INHERIT;

    /** Fail on a runqueue whose clock stops while it has runnable tasks (monitor; default on). */
    Toggle failOnStall() default Toggle.INHERIT;

    /** Longest tolerated scheduling gap per worker (default 2000 ms). */
    long maxGapMs() default INHERIT;

    /** Largest tolerated sched_ext local DSQ depth (monitor; default 50). */
    long maxLocalDsqDepth() default INHERIT;

    /** Monitor violations must persist this many consecutive samples (default 5). */
    long sustainedSamples() default INHERIT;

    /** Largest tolerated p99 wake latency in nanoseconds (default off). */
    long maxP99WakeLatencyNs() default INHERIT;

    /** Largest tolerated off-CPU spread across a cgroup's workers, in percent (default 15). */
    double maxSpreadPct() default INHERIT;

    /** Largest tolerated coefficient of variation of work per CPU-second (default off). */
    double maxThroughputCv() default INHERIT;

    /** Smallest tolerated work units per CPU-second per worker (default off). */
    double minWorkRate() default INHERIT;

    /** Largest tolerated coefficient of variation of wake latency (default off). */
    double maxWakeLatencyCv() default INHERIT;

    /** Smallest tolerated iterations per wall-clock second per worker (default off). */
    double minIterationRate() default INHERIT;

    /** Largest tolerated migrations per iteration (default off). */
    double maxMigrationRatio() default INHERIT;

    /** Largest tolerated max/min runqueue length ratio across CPUs (monitor; default 4.0). */
    double maxImbalanceRatio() default INHERIT;

    /** Largest tolerated sched_ext select_cpu fallbacks per second (monitor; default 200). */
    double maxFallbackRate() default INHERIT;

    /** Largest tolerated sched_ext keep-last dispatches per second (monitor; default 100). */
    double maxKeepLastRate() default INHERIT;

    /** Smallest tolerated fraction of a worker's pages on its own node (default off). */
    double minPageLocality() default INHERIT;

    /** Largest tolerated fraction of pages migrated across nodes (default off). */
    double maxCrossNodeMigrationRatio() default INHERIT;

    /** Largest tolerated fraction of pages on memory-only nodes (default off). */
    double maxSlowTierRatio() default INHERIT;
}
