package dev.ktstr.runtime.result;

import java.util.List;

/**
 * What the host-side monitor saw (issue "monitor"): aggregate figures plus per-phase summaries.
 *
 * @param status          {@code ok}, or {@code disabled: <reason>}
 * @param samples         samples taken
 * @param periodMs        sampling period
 * @param maxImbalanceRatio  worst sustained max/min nr_running across CPUs
 * @param maxLocalDsqDepth   deepest sched_ext local DSQ seen
 * @param stallCount      runqueue stalls detected
 * @param fallbackTotal   sched_ext select_cpu fallback events over the run
 * @param keepLastTotal   sched_ext keep-last dispatches over the run
 * @param phases          one summary per scenario step
 */
public record MonitorSummary(
        String status,
        long samples,
        long periodMs,
        double maxImbalanceRatio,
        long maxLocalDsqDepth,
        long stallCount,
        long fallbackTotal,
        long keepLastTotal,
        List<Phase> phases) {

    /** Monitor figures over one scenario step. */
    public record Phase(int step, long startMs, long endMs, double meanNrRunning, double maxImbalanceRatio,
            long maxLocalDsqDepth, long fallbackDelta, long keepLastDelta) {}
}
