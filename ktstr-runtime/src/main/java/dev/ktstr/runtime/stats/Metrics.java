package dev.ktstr.runtime.stats;

import static dev.ktstr.runtime.stats.Polarity.HIGHER_IS_BETTER;
import static dev.ktstr.runtime.stats.Polarity.LOWER_IS_BETTER;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The metric registry: every metric ktstr stores and compares, with its polarity, unit and default
 * gates, in the order of ktstr facts §9 (table "Registry METRICS").
 */
public final class Metrics {

    private static final Metric.Guard MIN_100_ITERATIONS = new Metric.Guard("total_iterations", 100);

    /** All metrics, registry order. */
    public static final List<Metric> ALL = List.of(
            m("worst_spread", LOWER_IS_BETTER, "pct", 5.0, 0.25,
                    "largest max-min spread of workers' off-CPU % within a cgroup"),
            m("worst_gap_ms", LOWER_IS_BETTER, "ms", 500, 0.50,
                    "longest time a worker went without running"),
            m("total_migrations", LOWER_IS_BETTER, "count", 10, 0.30,
                    "CPU migrations of all workers"),
            m("worst_migration_ratio", LOWER_IS_BETTER, "ratio", 0.05, 0.20,
                    "largest migrations per iteration of a cgroup"),
            m("max_imbalance_ratio", LOWER_IS_BETTER, "ratio", 1.0, 0.25,
                    "worst sustained max/min nr_running across CPUs (monitor)"),
            m("max_dsq_depth", LOWER_IS_BETTER, "count", 10, 0.50,
                    "deepest sched_ext local dispatch queue (monitor)"),
            m("stall_count", LOWER_IS_BETTER, "count", 1, 0.50,
                    "runqueue stalls detected by the monitor"),
            m("total_fallback", LOWER_IS_BETTER, "count", 5, 0.30,
                    "sched_ext select_cpu fallback events (monitor)"),
            m("total_keep_last", LOWER_IS_BETTER, "count", 5, 0.30,
                    "sched_ext keep-last dispatches (monitor)"),
            m("worst_p99_wake_latency_us", LOWER_IS_BETTER, "us", 50, 0.25,
                    "largest p99 wake-up latency of a cgroup"),
            m("worst_median_wake_latency_us", LOWER_IS_BETTER, "us", 20, 0.25,
                    "largest median wake-up latency of a cgroup"),
            m("worst_wake_latency_cv", LOWER_IS_BETTER, "ratio", 0.10, 0.25,
                    "largest coefficient of variation of wake-up latency of a cgroup"),
            m("total_iterations", HIGHER_IS_BETTER, "count", 100, 0.10,
                    "work iterations of all workers"),
            m("worst_mean_run_delay_us", LOWER_IS_BETTER, "us", 50, 0.25,
                    "largest mean runqueue wait (schedstat run_delay) of a cgroup"),
            m("worst_run_delay_us", LOWER_IS_BETTER, "us", 100, 0.50,
                    "largest runqueue wait of any worker"),
            new Metric("worst_wake_latency_tail_ratio", LOWER_IS_BETTER, "ratio", 0.5, 0.25,
                    "largest p99/median wake-up latency of a cgroup", MIN_100_ITERATIONS),
            m("worst_iterations_per_worker", HIGHER_IS_BETTER, "count", 10, 0.10,
                    "smallest mean iterations per worker of a cgroup"),
            m("worst_page_locality", HIGHER_IS_BETTER, "ratio", 0.05, 0.10,
                    "smallest fraction of pages on the worker's NUMA node"),
            m("worst_cross_node_migration_ratio", LOWER_IS_BETTER, "ratio", 0.05, 0.20,
                    "largest fraction of pages migrated across NUMA nodes"));

    private static final Map<String, Metric> BY_NAME = index();

    private Metrics() {}

    /** The metric named {@code name}, if registered. */
    public static Optional<Metric> find(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** The metric named {@code name}; throws with the known names when it is not registered. */
    public static Metric byName(String name) {
        Metric m = BY_NAME.get(name);
        if (m == null) {
            throw new IllegalArgumentException(
                    "[KtstrUnknownMetric] no metric named '" + name + "'; known: " + BY_NAME.keySet());
        }
        return m;
    }

    private static Metric m(String name, Polarity p, String unit, double abs, double rel, String description) {
        return new Metric(name, p, unit, abs, rel, description, null);
    }

    private static Map<String, Metric> index() {
        Map<String, Metric> map = new LinkedHashMap<>();
        for (Metric m : ALL) {
            if (map.put(m.name(), m) != null) {
                throw new IllegalStateException("duplicate metric " + m.name());
            }
        }
        return Map.copyOf(map);
    }
}
