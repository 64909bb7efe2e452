package dev.ktstr.runtime.monitor;

import java.time.Duration;

/**
 * How the host-side monitor samples and what its checks allow. The defaults are those of ktstr
 * ({@link #defaults()}): a sample every 100 ms, the first 20 samples (about 2 s) ignored as warm-up,
 * and a check fails only when its threshold is exceeded in {@code sustainedSamples} consecutive samples.
 *
 * @param period                sampling period
 * @param warmupSamples         samples at the start that no check and no figure looks at
 * @param sustainedSamples      consecutive violating samples before a check fails
 * @param maxImbalanceRatio     {@code max(nr_running) / max(1, min(nr_running))} across CPUs
 * @param maxLocalDsqDepth      deepest allowed sched_ext local dispatch queue on any CPU
 * @param failOnStall           whether a runqueue whose clock stops while it has work fails the run
 * @param maxFallbackRate       sched_ext {@code select_cpu_fallback} events per second, all CPUs
 * @param maxKeepLastRate       sched_ext {@code dispatch_keep_last} events per second, all CPUs
 * @param checkDefaultScheduler also check while no sched_ext scheduler is attached (off: the checks
 *                              describe sched_ext schedulers, the kernel's default is the reference)
 * @param stallExemptTicks      a stalled-looking CPU is exempt when its vCPU got less host CPU time than
 *                              this many guest ticks between the two samples (it was preempted)
 * @param retainedSamples       full samples kept for inspection (the oldest are dropped; checks and
 *                              summaries see every sample regardless)
 */
public record MonitorConfig(
        Duration period,
        int warmupSamples,
        int sustainedSamples,
        double maxImbalanceRatio,
        long maxLocalDsqDepth,
        boolean failOnStall,
        double maxFallbackRate,
        double maxKeepLastRate,
        boolean checkDefaultScheduler,
        int stallExemptTicks,
        int retainedSamples) {

    /** Above this local DSQ depth the reader is looking at garbage, not a queue. */
    public static final long IMPLAUSIBLE_DSQ_DEPTH = 10_000;

    public MonitorConfig {
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("monitor period must be positive, got " + period);
        }
        if (warmupSamples < 0 || sustainedSamples < 1 || stallExemptTicks < 0 || retainedSamples < 0) {
            throw new IllegalArgumentException("warm-up " + warmupSamples + ", sustained " + sustainedSamples
                    + ", stall exemption " + stallExemptTicks + " ticks, retained " + retainedSamples
                    + ": counts must be non-negative and sustained at least 1");
        }
        if (!(maxImbalanceRatio >= 1) || maxLocalDsqDepth < 0 || !(maxFallbackRate >= 0) || !(maxKeepLastRate >= 0)) {
            throw new IllegalArgumentException("thresholds must be non-negative (imbalance >= 1): imbalance "
                    + maxImbalanceRatio + ", dsq " + maxLocalDsqDepth + ", fallback " + maxFallbackRate + "/s, keep-last "
                    + maxKeepLastRate + "/s");
        }
    }

    /** ktstr's defaults (facts §8). */
    public static MonitorConfig defaults() {
        return new MonitorConfig(Duration.ofMillis(100), 20, 5, 4.0, 50, true, 200.0, 100.0, false, 10, 6000);
    }

    public MonitorConfig withPeriod(Duration p) {
        return new MonitorConfig(p, warmupSamples, sustainedSamples, maxImbalanceRatio, maxLocalDsqDepth, failOnStall,
                maxFallbackRate, maxKeepLastRate, checkDefaultScheduler, stallExemptTicks, retainedSamples);
    }

    public MonitorConfig withWarmupSamples(int n) {
        return new MonitorConfig(period, n, sustainedSamples, maxImbalanceRatio, maxLocalDsqDepth, failOnStall,
                maxFallbackRate, maxKeepLastRate, checkDefaultScheduler, stallExemptTicks, retainedSamples);
    }

    public MonitorConfig withSustainedSamples(int n) {
        return new MonitorConfig(period, warmupSamples, n, maxImbalanceRatio, maxLocalDsqDepth, failOnStall,
                maxFallbackRate, maxKeepLastRate, checkDefaultScheduler, stallExemptTicks, retainedSamples);
    }

    public MonitorConfig withMaxImbalanceRatio(double r) {
        return new MonitorConfig(period, warmupSamples, sustainedSamples, r, maxLocalDsqDepth, failOnStall,
                maxFallbackRate, maxKeepLastRate, checkDefaultScheduler, stallExemptTicks, retainedSamples);
    }

    public MonitorConfig withMaxLocalDsqDepth(long d) {
        return new MonitorConfig(period, warmupSamples, sustainedSamples, maxImbalanceRatio, d, failOnStall,
                maxFallbackRate, maxKeepLastRate, checkDefaultScheduler, stallExemptTicks, retainedSamples);
    }

    public MonitorConfig withFailOnStall(boolean f) {
        return new MonitorConfig(period, warmupSamples, sustainedSamples, maxImbalanceRatio, maxLocalDsqDepth, f,
                maxFallbackRate, maxKeepLastRate, checkDefaultScheduler, stallExemptTicks, retainedSamples);
    }

    public MonitorConfig withMaxFallbackRate(double r) {
        return new MonitorConfig(period, warmupSamples, sustainedSamples, maxImbalanceRatio, maxLocalDsqDepth,
                failOnStall, r, maxKeepLastRate, checkDefaultScheduler, stallExemptTicks, retainedSamples);
    }

    public MonitorConfig withMaxKeepLastRate(double r) {
        return new MonitorConfig(period, warmupSamples, sustainedSamples, maxImbalanceRatio, maxLocalDsqDepth,
                failOnStall, maxFallbackRate, r, checkDefaultScheduler, stallExemptTicks, retainedSamples);
    }

    public MonitorConfig withCheckDefaultScheduler(boolean c) {
        return new MonitorConfig(period, warmupSamples, sustainedSamples, maxImbalanceRatio, maxLocalDsqDepth,
                failOnStall, maxFallbackRate, maxKeepLastRate, c, stallExemptTicks, retainedSamples);
    }

    public MonitorConfig withRetainedSamples(int n) {
        return new MonitorConfig(period, warmupSamples, sustainedSamples, maxImbalanceRatio, maxLocalDsqDepth,
                failOnStall, maxFallbackRate, maxKeepLastRate, checkDefaultScheduler, stallExemptTicks, n);
    }
}
