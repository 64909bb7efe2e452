package dev.ktstr.runtime.checks;

import dev.ktstr.runtime.checks.CgroupSample.Worker;
import dev.ktstr.runtime.measure.LatencyHistogram;
import dev.ktstr.runtime.measure.WorkerReport;
import dev.ktstr.runtime.result.Outcome.Failure;
import dev.ktstr.topology.CpuSet;
import dev.ktstr.topology.Topology;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The worker checks of ktstr facts §8, each a pure function of one {@link CgroupSample} and its
 * limit that returns named failures (empty = pass). A message names the check, the cgroup, the
 * worker (ordinal and pid) where one is to blame, the numbers and the limit, e.g.
 * {@code Stuck: cg_1 worker 3 (pid 214) stuck 2450 ms on cpu 2 at +1.2 s (limit 2000 ms)}.
 *
 * <p>Workers that did not report normally are judged only by {@link #workerDied}; Custom groups
 * have no framework telemetry and are judged only by it and {@link #starved} (no CPU time).
 * Comparisons across workers ({@link #unfair}, {@link #throughputParity}) are made within one
 * worker group — like with like — and leave out fan-out messengers, whose role differs.
 */
public final class WorkerChecks {

    private WorkerChecks() {}

    /** A worker that died, was killed, could not start or did not report. */
    public static List<Failure> workerDied(CgroupSample s) {
        List<Failure> out = new ArrayList<>();
        for (Worker w : s.workers()) {
            WorkerReport r = w.report();
            if (r.reported() || (w.group().custom() && r.exitKind() == WorkerReport.ExitKind.EXITED
                    && r.exitCode() == 0)) {
                continue;
            }
            String how = switch (r.exitKind()) {
                case EXITED -> "exited with code " + r.exitCode() + " without a report";
                case SIGNALED -> "was killed by signal " + r.termSignal() + " before reporting";
                case TIMED_OUT -> "did not report within the stop deadline and was killed";
                case WAIT_FAILED -> "could not be collected (no report)";
                case SPAWN_FAILED -> "could not start (errno " + r.exitCode() + ")";
                case OK -> "reported";
            };
            out.add(FailureKind.WORKER_DIED.failure(
                    "WorkerDied: " + s.cgroup() + " " + w.label() + " [" + w.group().workType() + "] " + how));
        }
        return out;
    }

    /** Any worker with no work units (Custom: no CPU time). */
    public static List<Failure> starved(CgroupSample s) {
        List<Failure> out = new ArrayList<>();
        for (Worker w : s.reported()) {
            WorkerReport r = w.report();
            boolean noProgress = w.group().custom() ? r.cpuTimeNs() == 0 : r.workUnits() == 0;
            if (noProgress) {
                out.add(FailureKind.STARVED.failure(String.format(Locale.ROOT,
                        "Starved: %s %s [%s] made no progress (%d work units, %d iterations, %.0f ms CPU in %.0f ms)",
                        s.cgroup(), w.label(), w.group().workType(), r.workUnits(), r.iterations(),
                        r.cpuTimeNs() / 1e6, r.wallTimeNs() / 1e6)));
            }
        }
        return out;
    }

    /** Off-CPU spread (max − min of off-CPU % of wall time) within a group above {@code limitPct}. */
    public static List<Failure> unfair(CgroupSample s, double limitPct) {
        List<Failure> out = new ArrayList<>();
        for (List<Worker> group : comparableGroups(s)) {
            Worker lo = group.stream().min(Comparator.comparingDouble(w -> w.report().offCpuPct())).orElseThrow();
            Worker hi = group.stream().max(Comparator.comparingDouble(w -> w.report().offCpuPct())).orElseThrow();
            double spread = hi.report().offCpuPct() - lo.report().offCpuPct();
            if (spread > limitPct) {
                out.add(FailureKind.UNFAIR.failure(String.format(Locale.ROOT,
                        "Unfair: %s [%s] off-CPU spread %.1f%% > limit %.1f%% (%s %.1f%% off-CPU, %s %.1f%%; %d workers)",
                        s.cgroup(), lo.group().workType(), spread, limitPct, lo.label(), lo.report().offCpuPct(),
                        hi.label(), hi.report().offCpuPct(), group.size())));
            }
        }
        return out;
    }

    /** A worker whose longest gap between checkpoints exceeds {@code limitMs}. */
    public static List<Failure> stuck(CgroupSample s, long limitMs) {
        List<Failure> out = new ArrayList<>();
        for (Worker w : s.measured()) {
            WorkerReport r = w.report();
            double gapMs = r.maxGapNs() / 1e6;
            if (gapMs > limitMs) {
                out.add(FailureKind.STUCK.failure(String.format(Locale.ROOT,
                        "Stuck: %s %s stuck %.0f ms on cpu %d at +%.1f s (limit %d ms)", s.cgroup(), w.label(), gapMs,
                        r.maxGapCpu(), r.maxGapAtNs() / 1e9, limitMs)));
            }
        }
        return out;
    }

    /** A worker seen on a CPU outside everything its group was allowed on. */
    public static List<Failure> isolation(CgroupSample s) {
        List<Failure> out = new ArrayList<>();
        for (Worker w : s.measured()) {
            CpuSet allowed = w.group().allowedCpus();
            if (allowed == null) {
                continue;
            }
            CpuSet used = cpusUsed(w.report());
            CpuSet outside = used.minus(allowed);
            if (!outside.isEmpty()) {
                out.add(FailureKind.ISOLATION.failure("Isolation: " + s.cgroup() + " " + w.label() + " ran on CPUs "
                        + outside + " outside its allowed CPUs " + allowed + " (used " + used + ")"));
            }
        }
        return out;
    }

    /** Coefficient of variation of work per CPU-second within a group above {@code maxCv}. */
    public static List<Failure> throughputParity(CgroupSample s, double maxCv) {
        List<Failure> out = new ArrayList<>();
        for (List<Worker> group : comparableGroups(s)) {
            List<Worker> withCpu = group.stream().filter(w -> w.report().cpuTimeNs() > 0).toList();
            if (withCpu.size() < 2) {
                continue;
            }
            double[] rates = withCpu.stream().mapToDouble(w -> workRate(w.report())).toArray();
            double cv = cv(rates);
            if (cv > maxCv) {
                Worker lo = withCpu.stream().min(Comparator.comparingDouble(w -> workRate(w.report()))).orElseThrow();
                Worker hi = withCpu.stream().max(Comparator.comparingDouble(w -> workRate(w.report()))).orElseThrow();
                out.add(FailureKind.THROUGHPUT_PARITY.failure(String.format(Locale.ROOT,
                        "ThroughputParity: %s [%s] work-rate CV %.3f > limit %.3f (slowest %s %.4g units/cpu-s, fastest %s %.4g)",
                        s.cgroup(), lo.group().workType(), cv, maxCv, lo.label(), workRate(lo.report()), hi.label(),
                        workRate(hi.report()))));
            }
        }
        return out;
    }

    /** A worker doing fewer than {@code min} work units per CPU-second. */
    public static List<Failure> minWorkRate(CgroupSample s, double min) {
        List<Failure> out = new ArrayList<>();
        for (Worker w : s.measured()) {
            double rate = workRate(w.report());
            if (rate < min) {
                out.add(FailureKind.WORK_RATE.failure(String.format(Locale.ROOT,
                        "WorkRate: %s %s %.4g work units/cpu-s < limit %.4g", s.cgroup(), w.label(), rate, min)));
            }
        }
        return out;
    }

    /** p99 of the cgroup's pooled wake latencies above {@code maxNs}. */
    public static List<Failure> wakeLatencyP99(CgroupSample s, long maxNs) {
        LatencyHistogram h = pooledWakeLatency(s);
        if (h.isEmpty()) {
            return List.of();
        }
        double p99 = h.percentileNs(0.99);
        if (p99 <= maxNs) {
            return List.of();
        }
        return List.of(FailureKind.WAKE_LATENCY.failure(String.format(Locale.ROOT,
                "WakeLatency: %s p99 wake latency %.1f us > limit %.1f us (%d samples%s)", s.cgroup(), p99 / 1e3,
                maxNs / 1e3, h.count(), worstP99(s))));
    }

    /** Coefficient of variation of the cgroup's pooled wake latencies above {@code max}. */
    public static List<Failure> wakeLatencyCv(CgroupSample s, double max) {
        LatencyHistogram h = pooledWakeLatency(s);
        if (h.isEmpty()) {
            return List.of();
        }
        double cv = h.cv();
        if (cv <= max) {
            return List.of();
        }
        return List.of(FailureKind.WAKE_LATENCY_CV.failure(String.format(Locale.ROOT,
                "WakeLatencyCv: %s wake latency CV %.3f > limit %.3f (%d samples, mean %.1f us, p99 %.1f us)",
                s.cgroup(), cv, max, h.count(), h.meanNs() / 1e3, h.percentileNs(0.99) / 1e3)));
    }

    /** A worker completing fewer than {@code min} outer iterations per wall-clock second. */
    public static List<Failure> iterationRate(CgroupSample s, double min) {
        List<Failure> out = new ArrayList<>();
        for (Worker w : s.measured()) {
            WorkerReport r = w.report();
            if (r.wallTimeNs() <= 0) {
                continue;
            }
            double rate = r.iterations() / (r.wallTimeNs() / 1e9);
            if (rate < min) {
                out.add(FailureKind.ITERATION_RATE.failure(String.format(Locale.ROOT,
                        "IterationRate: %s %s %.1f iterations/s < limit %.1f/s (%d iterations in %.2f s)", s.cgroup(),
                        w.label(), rate, min, r.iterations(), r.wallTimeNs() / 1e9)));
            }
        }
        return out;
    }

    /** Migrations per iteration over the cgroup above {@code max}. */
    public static List<Failure> migrationRatio(CgroupSample s, double max) {
        long mig = s.measured().stream().mapToLong(w -> w.report().migrationCount()).sum();
        long iter = s.measured().stream().mapToLong(w -> w.report().iterations()).sum();
        if (iter == 0) {
            return List.of();
        }
        double ratio = (double) mig / iter;
        if (ratio <= max) {
            return List.of();
        }
        Worker worst = s.measured().stream().max(Comparator.comparingLong(w -> w.report().migrationCount()))
                .orElseThrow();
        return List.of(FailureKind.MIGRATION_RATIO.failure(String.format(Locale.ROOT,
                "MigrationRatio: %s %.4f migrations per iteration (%d / %d) > limit %.4f (most: %s, %d migrations)",
                s.cgroup(), ratio, mig, iter, max, worst.label(), worst.report().migrationCount())));
    }

    /** A worker with less than {@code min} of its resident pages on the nodes of the CPUs it ran on. */
    public static List<Failure> pageLocality(CgroupSample s, double min, Topology topology) {
        List<Failure> out = new ArrayList<>();
        for (Worker w : s.measured()) {
            long total = totalPages(w.report());
            if (total == 0) {
                continue;
            }
            CpuSet nodes = localNodes(w.report(), topology);
            double locality = (double) localPages(w.report(), nodes) / total;
            if (locality < min) {
                out.add(FailureKind.PAGE_LOCALITY.failure(String.format(Locale.ROOT,
                        "PageLocality: %s %s %.1f%% of %d pages on its nodes %s < limit %.1f%%", s.cgroup(), w.label(),
                        100 * locality, total, nodes, 100 * min)));
            }
        }
        return out;
    }

    /**
     * A worker whose NUMA page migrations (the {@code numa_pages_migrated} delta it saw) exceed
     * {@code max} of its resident pages. Judged per worker because the counter is system-wide.
     */
    public static List<Failure> crossNodeMigration(CgroupSample s, double max) {
        List<Failure> out = new ArrayList<>();
        for (Worker w : s.measured()) {
            long total = totalPages(w.report());
            if (total == 0) {
                continue;
            }
            double ratio = (double) w.report().numaPagesMigrated() / total;
            if (ratio > max) {
                out.add(FailureKind.CROSS_NODE_MIGRATION.failure(String.format(Locale.ROOT,
                        "CrossNodeMigration: %s %s %.1f%% of its pages migrated across nodes (%d / %d) > limit %.1f%%",
                        s.cgroup(), w.label(), 100 * ratio, w.report().numaPagesMigrated(), total, 100 * max)));
            }
        }
        return out;
    }

    /** The cgroup's share of pages on memory-only nodes (nodes without CPUs) above {@code max}. */
    public static List<Failure> slowTier(CgroupSample s, double max, Topology topology) {
        long total = 0;
        long slow = 0;
        for (Worker w : s.measured()) {
            List<Long> pages = w.report().pagesOnNode();
            for (int n = 0; n < pages.size(); n++) {
                total += pages.get(n);
                if (n >= topology.numaNodes()) {
                    slow += pages.get(n);
                }
            }
        }
        if (total == 0) {
            return List.of();
        }
        double ratio = (double) slow / total;
        if (ratio <= max) {
            return List.of();
        }
        return List.of(FailureKind.SLOW_TIER.failure(String.format(Locale.ROOT,
                "SlowTier: %s %.1f%% of pages on memory-only nodes (%d / %d) > limit %.1f%%", s.cgroup(), 100 * ratio,
                slow, total, 100 * max)));
    }

    // ---- shared arithmetic (also used by the statistics) --------------------------------------------

    /** Work units per CPU-second (0 without CPU time). */
    public static double workRate(WorkerReport r) {
        return r.cpuTimeNs() <= 0 ? 0 : r.workUnits() / (r.cpuTimeNs() / 1e9);
    }

    /** Population coefficient of variation (σ/μ); 0 for a zero mean, NaN for no values. */
    public static double cv(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= values.length;
        if (mean == 0) {
            return 0;
        }
        double acc = 0;
        for (double v : values) {
            acc += (v - mean) * (v - mean);
        }
        return Math.sqrt(acc / values.length) / Math.abs(mean);
    }

    /** The wake latencies of every measured worker of the cgroup, merged. */
    public static LatencyHistogram pooledWakeLatency(CgroupSample s) {
        LatencyHistogram h = LatencyHistogram.empty();
        for (Worker w : s.measured()) {
            if (w.report().wakeLatency() != null) {
                h = h.merge(w.report().wakeLatency());
            }
        }
        return h;
    }

    /** The CPUs a worker was seen on. */
    public static CpuSet cpusUsed(WorkerReport r) {
        return r.cpusUsed() == null ? CpuSet.empty() : CpuSet.parse(r.cpusUsed());
    }

    static long totalPages(WorkerReport r) {
        return r.pagesOnNode().stream().mapToLong(Long::longValue).sum();
    }

    /** The NUMA nodes of the CPUs a worker ran on. */
    static CpuSet localNodes(WorkerReport r, Topology topology) {
        List<Integer> nodes = new ArrayList<>();
        cpusUsed(r).stream().filter(c -> c < topology.totalCpus()).map(topology::nodeOf).distinct()
                .forEach(nodes::add);
        return CpuSet.of(nodes);
    }

    static long localPages(WorkerReport r, CpuSet nodes) {
        long local = 0;
        for (int n = 0; n < r.pagesOnNode().size(); n++) {
            if (nodes.contains(n)) {
                local += r.pagesOnNode().get(n);
            }
        }
        return local;
    }

    /** Per group: measured non-messenger workers with wall time, when there are at least two. */
    static List<List<Worker>> comparableGroups(CgroupSample s) {
        List<List<Worker>> out = new ArrayList<>();
        for (GroupSample g : s.groups()) {
            List<Worker> ws = s.measured().stream()
                    .filter(w -> w.group() == g && !w.report().messenger() && w.report().wallTimeNs() > 0).toList();
            if (ws.size() >= 2) {
                out.add(ws);
            }
        }
        return out;
    }

    private static String worstP99(CgroupSample s) {
        Worker worst = null;
        double worstP99 = -1;
        for (Worker w : s.measured()) {
            LatencyHistogram h = w.report().wakeLatency();
            if (h != null && !h.isEmpty() && h.percentileNs(0.99) > worstP99) {
                worst = w;
                worstP99 = h.percentileNs(0.99);
            }
        }
        return worst == null ? "" : String.format(Locale.ROOT, "; worst %s p99 %.1f us", worst.label(), worstP99 / 1e3);
    }
}
