package dev.ktstr.runtime.result;

/**
 * Statistics of one cgroup's workers over a scenario (ktstr facts §9). Latencies are in
 * microseconds, percentages in percent, ratios plain. {@code NaN} where a value does not apply (e.g.
 * no wake-latency samples).
 */
public record CgroupStats(
        String name,
        int workers,
        double avgOffCpuPct,
        double minOffCpuPct,
        double maxOffCpuPct,
        double spreadPct,
        double maxGapMs,
        int maxGapCpu,
        long totalMigrations,
        double migrationRatio,
        double p99WakeLatencyUs,
        double medianWakeLatencyUs,
        double wakeLatencyCv,
        long totalIterations,
        double meanRunDelayUs,
        double worstRunDelayUs,
        double wakeLatencyTailRatio,
        double iterationsPerWorker,
        double pageLocality,
        double crossNodeMigrationRatio,
        String cpusUsed) {}
