package dev.ktstr.runtime.stats.synth;

import dev.ktstr.runtime.result.CgroupStats;
import dev.ktstr.runtime.result.HostContext;
import dev.ktstr.runtime.result.MonitorSummary;
import dev.ktstr.runtime.result.Outcome;
import dev.ktstr.runtime.result.RunResult;
import dev.ktstr.runtime.result.StimulusEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * A suite of synthetic tests whose runs follow a {@link NoiseModel}: the same suite yields the
 * baseline and the candidate of an A/A or A/B pair (same per-test centres), each side with its own
 * noise and optional shifts. Runs are complete {@link RunResult}s (timeline, monitor phases, cgroup
 * stats), so they also feed result files, the CLI and the HTML report in tests and benchmarks.
 */
public final class SyntheticSuite {

    private static final String CLASS = "dev.ktstr.example.SyntheticTest";
    private static final String[] TOPOLOGIES = {"1n1l2c1t", "1n2l2c1t", "1n2l4c2t", "2n2l4c1t"};
    private static final long STEP_MS = 1000;
    private static final int STEPS = 3;

    private final NoiseModel model;
    private final List<Map<String, Double>> centers;

    /** {@code tests} tests whose centres are drawn from {@code configSeed} with scatter 0.5. */
    public SyntheticSuite(NoiseModel model, long configSeed, int tests) {
        this(model, configSeed, tests, 0.5);
    }

    /**
     * {@code tests} tests whose centres are drawn from {@code configSeed}, scattered by
     * {@code exp(N(0, scatter))} around the model's (see {@link NoiseModel#testCenters}).
     */
    public SyntheticSuite(NoiseModel model, long configSeed, int tests, double scatter) {
        this.model = model;
        Random rng = new Random(configSeed);
        List<Map<String, Double>> c = new ArrayList<>(tests);
        for (int i = 0; i < tests; i++) {
            c.add(model.testCenters(rng, scatter));
        }
        this.centers = List.copyOf(c);
    }

    /** Number of tests. */
    public int tests() {
        return centers.size();
    }

    /** The name of test {@code i}. */
    public static String testName(int i) {
        return String.format("t%03d", i);
    }

    /**
     * One side of a comparison: {@code runsPerTest} repetitions of every test on kernel {@code kernel}
     * with the given shifts (metric → factor on its centre) applied to every test.
     */
    public List<RunResult> side(Random rng, String kernel, int runsPerTest, Map<String, Double> shifts) {
        return side(rng, kernel, runsPerTest, t -> shifts);
    }

    /** As {@link #side(Random, String, int, Map)} with shifts chosen per test index. */
    public List<RunResult> side(Random rng, String kernel, int runsPerTest,
            IntFunction<Map<String, Double>> shiftsOfTest) {
        List<RunResult> out = new ArrayList<>(tests() * runsPerTest);
        for (int t = 0; t < tests(); t++) {
            Map<String, Double> shifts = shiftsOfTest.apply(t);
            for (int rep = 0; rep < runsPerTest; rep++) {
                out.add(run(t, kernel, rep, model.sample(rng, centers.get(t), shifts), rng));
            }
        }
        return out;
    }

    /** A complete, passed result of test {@code t} carrying {@code metrics}. */
    public static RunResult run(int t, String kernel, int rep, Map<String, Double> metrics, Random rng) {
        String name = testName(t);
        String topology = TOPOLOGIES[t % TOPOLOGIES.length];
        long iterations = Math.round(metrics.getOrDefault("total_iterations", 0.0));
        List<StimulusEvent> timeline = new ArrayList<>();
        List<MonitorSummary.Phase> phases = new ArrayList<>();
        // Steps at different load levels, so the timeline's iteration rate has a shape.
        double[] share = {0.25, 0.45, 0.30};
        long cumulative = 0;
        for (int s = 0; s < STEPS; s++) {
            long start = s * STEP_MS;
            timeline.add(new StimulusEvent(start, s, "step-start", "step " + s, cumulative));
            long stepIters = Math.round(iterations * share[s]);
            int slices = 10;
            for (int k = 1; k <= slices; k++) {
                double jitter = 1 + 0.15 * rng.nextGaussian() / Math.sqrt(slices);
                long part = Math.round(stepIters / (double) slices * jitter);
                cumulative += part;
                if (k == 3) {
                    timeline.add(new StimulusEvent(start + k * STEP_MS / slices, s, s == 1 ? "SetCpuset" : "Spawn",
                            s == 1 ? "cg_0 cpus=0-1" : "cg_" + s + " workers=2", cumulative));
                } else {
                    timeline.add(new StimulusEvent(start + k * STEP_MS / slices, s, "sample", "", cumulative));
                }
            }
            timeline.add(new StimulusEvent(start + STEP_MS, s, "step-end", "step " + s, cumulative));
            phases.add(new MonitorSummary.Phase(s, start, start + STEP_MS, 1.0 + s * 0.8 + 0.1 * rng.nextGaussian(),
                    1.2 + 0.3 * s, Math.round(metrics.getOrDefault("max_dsq_depth", 0.0) * (s + 1) / STEPS),
                    Math.round(metrics.getOrDefault("total_fallback", 0.0) / STEPS),
                    Math.round(metrics.getOrDefault("total_keep_last", 0.0) / STEPS)));
        }
        MonitorSummary monitor = new MonitorSummary("ok", STEPS * STEP_MS / 100, 100,
                metrics.getOrDefault("max_imbalance_ratio", 1.0),
                Math.round(metrics.getOrDefault("max_dsq_depth", 0.0)),
                Math.round(metrics.getOrDefault("stall_count", 0.0)),
                Math.round(metrics.getOrDefault("total_fallback", 0.0)),
                Math.round(metrics.getOrDefault("total_keep_last", 0.0)), phases, List.of(), List.of());
        CgroupStats cg = new CgroupStats("cg_0", 4, 20, 15, 15 + metrics.getOrDefault("worst_spread", 0.0),
                metrics.getOrDefault("worst_spread", 0.0), metrics.getOrDefault("worst_gap_ms", 0.0), 1,
                Math.round(metrics.getOrDefault("total_migrations", 0.0)),
                metrics.getOrDefault("worst_migration_ratio", 0.0),
                metrics.getOrDefault("worst_p99_wake_latency_us", 0.0),
                metrics.getOrDefault("worst_median_wake_latency_us", 0.0),
                metrics.getOrDefault("worst_wake_latency_cv", 0.0), iterations,
                metrics.getOrDefault("worst_mean_run_delay_us", 0.0), metrics.getOrDefault("worst_run_delay_us", 0.0),
                metrics.getOrDefault("worst_wake_latency_tail_ratio", 0.0),
                metrics.getOrDefault("worst_iterations_per_worker", 0.0),
                metrics.getOrDefault("worst_page_locality", 1.0),
                metrics.getOrDefault("worst_cross_node_migration_ratio", 0.0), "0-3");
        Instant started = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(60L * (t * 16 + rep));
        return new RunResult(RunResult.SCHEMA_VERSION, "20260101T000000Z-" + (t * 1000 + rep), name,
                "ktstr/" + name, CLASS, null, topology, "scx_simple", "/bin/scx_simple", List.of(), List.of(), true,
                null, kernel, "qemu-tcg", "synthetic", rep, Outcome.passed(), List.of(cg), Map.copyOf(metrics),
                timeline, monitor, new HostContext("synthetic", "model", 2, 24_000, "6.1.0", "none", "17"), started,
                STEPS * STEP_MS + 2000);
    }
}
