package dev.ktstr.runtime.result;

import java.util.List;

/**
 * What the host-side monitor saw (issue "monitor"): aggregate figures plus per-phase summaries.
 *
 * @param status          {@code ok}; {@code not initialized: <why>} when the samples cannot be
 *                        trusted (every rq clock equal, or an impossible DSQ depth) and no check ran;
 *                        or {@code disabled: <reason>} when the monitor could not run at all
 * @param samples         samples taken
 * @param periodMs        sampling period
 * @param maxImbalanceRatio  worst sustained max/min nr_running across CPUs
 * @param maxLocalDsqDepth   deepest sched_ext local DSQ seen
 * @param stallCount      runqueue stalls detected
 * @param fallbackTotal   sched_ext select_cpu fallback events over the run
 * @param keepLastTotal   sched_ext keep-last dispatches over the run
 * @param phases          one summary per scenario step
 * @param violations      one line per failed monitor check (empty when all passed); a run with any
 *                        violation fails
 * @param notes           what limited the monitor without failing the run (e.g. stall detection off
 *                        for lack of vCPU times, event counters unavailable on this kernel)
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
        List<Phase> phases,
        List<String> violations,
        List<String> notes) {

    public MonitorSummary {
        phases = List.copyOf(phases);
        violations = List.copyOf(violations);
        notes = List.copyOf(notes);
    }

    /** A summary for a monitor that could not run; {@code reason} is printed after "monitor disabled: ". */
    public static MonitorSummary disabled(String reason, long periodMs) {
        return new MonitorSummary("disabled: " + reason, 0, periodMs, 0, 0, 0, 0, 0, List.of(), List.of(), List.of());
    }

    /** Monitor figures over one scenario step. */
    public record Phase(int step, long startMs, long endMs, double meanNrRunning, double maxImbalanceRatio,
            long maxLocalDsqDepth, long fallbackDelta, long keepLastDelta) {}
}
