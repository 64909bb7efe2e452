package dev.ktstr.runtime.checks;

import dev.ktstr.runtime.checks.CgroupSample.Worker;
import dev.ktstr.runtime.measure.LatencyHistogram;
import dev.ktstr.runtime.measure.WorkerReport;
import dev.ktstr.runtime.result.CgroupStats;
import dev.ktstr.topology.CpuSet;
import dev.ktstr.topology.Topology;
import java.util.List;

/**
 * Computes {@link CgroupStats} from one {@link CgroupSample} (ktstr facts §9). Over the workers that
 * reported normally and have telemetry (not Custom): off-CPU % (fan-out messengers left out of
 * average, minimum, maximum and spread, as in the checks), the worst gap, migrations per iteration,
 * pooled wake latency (p99 and median in µs, population CV, tail ratio p99/median), schedstat run
 * delay (mean of the per-worker totals and the worst), iterations, page locality and the worst
 * per-worker cross-node migration ratio. Values that do not apply are {@code NaN}.
 */
public final class CgroupStatistics {

    private CgroupStatistics() {}

    /** Statistics named {@code name} (usually the sample's cgroup). */
    public static CgroupStats of(String name, CgroupSample s, Topology topology) {
        List<Worker> measured = s.measured();
        List<Worker> paced = measured.stream().filter(w -> !w.report().messenger() && w.report().wallTimeNs() > 0)
                .toList();
        double avgOff = paced.stream().mapToDouble(w -> w.report().offCpuPct()).average().orElse(Double.NaN);
        double minOff = paced.stream().mapToDouble(w -> w.report().offCpuPct()).min().orElse(Double.NaN);
        double maxOff = paced.stream().mapToDouble(w -> w.report().offCpuPct()).max().orElse(Double.NaN);
        double spread = 0;
        for (List<Worker> g : WorkerChecks.comparableGroups(s)) {
            double lo = g.stream().mapToDouble(w -> w.report().offCpuPct()).min().orElse(0);
            double hi = g.stream().mapToDouble(w -> w.report().offCpuPct()).max().orElse(0);
            spread = Math.max(spread, hi - lo);
        }
        Worker gapWorker = null;
        for (Worker w : measured) {
            if (gapWorker == null || w.report().maxGapNs() > gapWorker.report().maxGapNs()) {
                gapWorker = w;
            }
        }
        double maxGapMs = gapWorker == null ? Double.NaN : gapWorker.report().maxGapNs() / 1e6;
        int maxGapCpu = gapWorker == null ? -1 : gapWorker.report().maxGapCpu();
        long migrations = measured.stream().mapToLong(w -> w.report().migrationCount()).sum();
        long iterations = measured.stream().mapToLong(w -> w.report().iterations()).sum();
        double migrationRatio = iterations == 0 ? Double.NaN : (double) migrations / iterations;

        LatencyHistogram h = WorkerChecks.pooledWakeLatency(s);
        double p99 = h.isEmpty() ? Double.NaN : h.percentileNs(0.99) / 1e3;
        double median = h.isEmpty() ? Double.NaN : h.percentileNs(0.5) / 1e3;
        double cv = h.isEmpty() ? Double.NaN : h.cv();
        double tail = h.isEmpty() || median == 0 ? Double.NaN : p99 / median;

        List<Worker> reported = s.reported();
        double meanRunDelay = reported.stream().mapToDouble(w -> w.report().schedstatRunDelayNs() / 1e3).average()
                .orElse(Double.NaN);
        double worstRunDelay = reported.stream().mapToDouble(w -> w.report().schedstatRunDelayNs() / 1e3).max()
                .orElse(Double.NaN);
        double perWorker = measured.isEmpty() ? Double.NaN : (double) iterations / measured.size();

        long pagesTotal = 0;
        long pagesLocal = 0;
        double worstCrossNode = Double.NaN;
        CpuSet used = CpuSet.empty();
        for (Worker w : measured) {
            WorkerReport r = w.report();
            used = used.union(WorkerChecks.cpusUsed(r));
            long total = WorkerChecks.totalPages(r);
            if (total > 0) {
                pagesTotal += total;
                pagesLocal += WorkerChecks.localPages(r, WorkerChecks.localNodes(r, topology));
                double ratio = (double) r.numaPagesMigrated() / total;
                worstCrossNode = Double.isNaN(worstCrossNode) ? ratio : Math.max(worstCrossNode, ratio);
            }
        }
        double locality = pagesTotal == 0 ? Double.NaN : (double) pagesLocal / pagesTotal;

        return new CgroupStats(name, s.workerCount(), avgOff, minOff, maxOff, spread, maxGapMs, maxGapCpu, migrations,
                migrationRatio, p99, median, cv, iterations, meanRunDelay, worstRunDelay, tail, perWorker, locality,
                worstCrossNode, used.render());
    }
}
