package dev.ktstr.runtime.checks;

import dev.ktstr.runtime.result.CgroupStats;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The scenario-level metrics of ktstr facts §9 for {@code RunResult.metrics}, merged over cgroups:
 * the worst value for spreads, gaps, latencies and ratios (the minimum for the higher-is-better
 * {@code worst_iterations_per_worker} and {@code worst_page_locality}), sums for counters. A metric
 * no cgroup defines (e.g. wake latency in a pure CpuSpin run) is left out rather than written as NaN.
 * Monitor metrics ({@code max_imbalance_ratio}, …) come from the monitor.
 */
public final class ScenarioMetrics {

    public static final String WORST_SPREAD = "worst_spread";
    public static final String WORST_GAP_MS = "worst_gap_ms";
    public static final String TOTAL_MIGRATIONS = "total_migrations";
    public static final String WORST_MIGRATION_RATIO = "worst_migration_ratio";
    public static final String WORST_P99_WAKE_LATENCY_US = "worst_p99_wake_latency_us";
    public static final String WORST_MEDIAN_WAKE_LATENCY_US = "worst_median_wake_latency_us";
    public static final String WORST_WAKE_LATENCY_CV = "worst_wake_latency_cv";
    public static final String TOTAL_ITERATIONS = "total_iterations";
    public static final String WORST_MEAN_RUN_DELAY_US = "worst_mean_run_delay_us";
    public static final String WORST_RUN_DELAY_US = "worst_run_delay_us";
    public static final String WORST_WAKE_LATENCY_TAIL_RATIO = "worst_wake_latency_tail_ratio";
    public static final String WORST_ITERATIONS_PER_WORKER = "worst_iterations_per_worker";
    public static final String WORST_PAGE_LOCALITY = "worst_page_locality";
    public static final String WORST_CROSS_NODE_MIGRATION_RATIO = "worst_cross_node_migration_ratio";

    /** Every name this class produces, in registry order. */
    public static final List<String> NAMES = List.of(WORST_SPREAD, WORST_GAP_MS, TOTAL_MIGRATIONS,
            WORST_MIGRATION_RATIO, WORST_P99_WAKE_LATENCY_US, WORST_MEDIAN_WAKE_LATENCY_US, WORST_WAKE_LATENCY_CV,
            TOTAL_ITERATIONS, WORST_MEAN_RUN_DELAY_US, WORST_RUN_DELAY_US, WORST_WAKE_LATENCY_TAIL_RATIO,
            WORST_ITERATIONS_PER_WORKER, WORST_PAGE_LOCALITY, WORST_CROSS_NODE_MIGRATION_RATIO);

    private ScenarioMetrics() {}

    /** The metrics of these cgroups, by name, in {@link #NAMES} order. */
    public static Map<String, Double> of(List<CgroupStats> cgroups) {
        Map<String, Double> m = new LinkedHashMap<>();
        worst(m, WORST_SPREAD, cgroups, CgroupStats::spreadPct);
        worst(m, WORST_GAP_MS, cgroups, CgroupStats::maxGapMs);
        m.put(TOTAL_MIGRATIONS, (double) cgroups.stream().mapToLong(CgroupStats::totalMigrations).sum());
        worst(m, WORST_MIGRATION_RATIO, cgroups, CgroupStats::migrationRatio);
        worst(m, WORST_P99_WAKE_LATENCY_US, cgroups, CgroupStats::p99WakeLatencyUs);
        worst(m, WORST_MEDIAN_WAKE_LATENCY_US, cgroups, CgroupStats::medianWakeLatencyUs);
        worst(m, WORST_WAKE_LATENCY_CV, cgroups, CgroupStats::wakeLatencyCv);
        m.put(TOTAL_ITERATIONS, (double) cgroups.stream().mapToLong(CgroupStats::totalIterations).sum());
        worst(m, WORST_MEAN_RUN_DELAY_US, cgroups, CgroupStats::meanRunDelayUs);
        worst(m, WORST_RUN_DELAY_US, cgroups, CgroupStats::worstRunDelayUs);
        worst(m, WORST_WAKE_LATENCY_TAIL_RATIO, cgroups, CgroupStats::wakeLatencyTailRatio);
        lowest(m, WORST_ITERATIONS_PER_WORKER, cgroups, CgroupStats::iterationsPerWorker);
        lowest(m, WORST_PAGE_LOCALITY, cgroups, CgroupStats::pageLocality);
        worst(m, WORST_CROSS_NODE_MIGRATION_RATIO, cgroups, CgroupStats::crossNodeMigrationRatio);
        return m;
    }

    private static void worst(Map<String, Double> m, String name, List<CgroupStats> cs, ToDoubleFunction<CgroupStats> f) {
        cs.stream().mapToDouble(f).filter(v -> !Double.isNaN(v)).max().ifPresent(v -> m.put(name, v));
    }

    private static void lowest(Map<String, Double> m, String name, List<CgroupStats> cs, ToDoubleFunction<CgroupStats> f) {
        cs.stream().mapToDouble(f).filter(v -> !Double.isNaN(v)).min().ifPresent(v -> m.put(name, v));
    }
}
