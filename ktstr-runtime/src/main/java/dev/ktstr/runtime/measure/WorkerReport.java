package dev.ktstr.runtime.measure;

import java.util.List;

/**
 * One worker's measurements over one run of its loop ({@code struct kw_report} in
 * {@code ktstr_work.h}; ktstr facts §4.4). Times are nanoseconds.
 *
 * @param groupId              the worker's group
 * @param index                index within the group
 * @param pid                  process id in the guest
 * @param exitKind             how the worker ended
 * @param exitCode             exit code when {@link ExitKind#EXITED}, errno when {@link ExitKind#SPAWN_FAILED}
 * @param termSignal           signal when {@link ExitKind#SIGNALED}
 * @param completed            the loop ended by itself (not by the stop signal)
 * @param messenger            the fan-out messenger of its group
 * @param workUnits            work done (spin iterations, writes, touches...)
 * @param iterations           outer-loop iterations
 * @param cpuTimeNs            CPU time of the worker
 * @param wallTimeNs           wall time of the loop
 * @param offCpuNs             wall − CPU
 * @param migrationCount       CPU changes seen at checkpoints
 * @param migrations           the first migrations with timestamps
 * @param cpusUsed             CPUs the worker was seen on, as a CPU list
 * @param maxGapNs             longest interval between checkpoints (blocking calls excluded)
 * @param maxGapCpu            CPU of that gap
 * @param maxGapAtNs           when it ended, since the loop started
 * @param wakeLatency          resume latencies across blocking calls
 * @param schedstatCpuTimeNs   /proc/self/schedstat field 1 delta
 * @param schedstatRunDelayNs  field 2 delta: time runnable but waiting
 * @param schedstatRunCount    field 3 delta: times scheduled in
 * @param voluntarySwitches    voluntary context switches
 * @param involuntarySwitches  involuntary context switches
 * @param pagesOnNode          resident pages per NUMA node after the loop
 * @param numaPagesMigrated    pages migrated across nodes during the loop (/proc/vmstat delta)
 * @param children             ForkExit: children forked and reaped
 */
public record WorkerReport(
        int groupId,
        int index,
        int pid,
        ExitKind exitKind,
        int exitCode,
        int termSignal,
        boolean completed,
        boolean messenger,
        long workUnits,
        long iterations,
        long cpuTimeNs,
        long wallTimeNs,
        long offCpuNs,
        long migrationCount,
        List<Migration> migrations,
        String cpusUsed,
        long maxGapNs,
        int maxGapCpu,
        long maxGapAtNs,
        LatencyHistogram wakeLatency,
        long schedstatCpuTimeNs,
        long schedstatRunDelayNs,
        long schedstatRunCount,
        long voluntarySwitches,
        long involuntarySwitches,
        List<Long> pagesOnNode,
        long numaPagesMigrated,
        long children) {

    public WorkerReport {
        migrations = List.copyOf(migrations);
        pagesOnNode = List.copyOf(pagesOnNode);
    }

    /** How the worker ended; the wire value is the ordinal. */
    public enum ExitKind {
        /** Reported normally. */
        OK,
        /** Exited without a report. */
        EXITED,
        /** Killed by a signal. */
        SIGNALED,
        /** Did not report within the deadline and was killed. */
        TIMED_OUT,
        /** The agent could not wait for it. */
        WAIT_FAILED,
        /** A Custom program could not be started. */
        SPAWN_FAILED
    }

    /** A CPU change seen at a checkpoint. */
    public record Migration(long atNs, int fromCpu, int toCpu) {}

    /** Off-CPU share of wall time in percent (0 when wall time is 0). */
    public double offCpuPct() {
        return wallTimeNs <= 0 ? 0.0 : 100.0 * offCpuNs / wallTimeNs;
    }

    /** Whether the worker reported normally. */
    public boolean reported() {
        return exitKind == ExitKind.OK;
    }
}
