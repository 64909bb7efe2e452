package dev.ktstr.bench.stats;

import dev.ktstr.runtime.result.RunResult;
import dev.ktstr.runtime.stats.Cell;
import dev.ktstr.runtime.stats.ComparePolicy;
import dev.ktstr.runtime.stats.Comparison;
import dev.ktstr.runtime.stats.Metrics;
import dev.ktstr.runtime.stats.ResultComparator;
import dev.ktstr.runtime.stats.StatTest;
import dev.ktstr.runtime.stats.Verdict;
import dev.ktstr.runtime.stats.synth.NoiseModel;
import dev.ktstr.runtime.stats.synth.SyntheticSuite;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The comparator's calibration on the synthetic noise model ({@link NoiseModel#VM_TYPICAL}): for
 * noise at 1×, 1.5× and 2× the model's coefficients of variation and 1 to 20 runs per side, the share
 * of metric cells falsely called regressions in A/A pairs, and the share of +20 % p99 wake latency
 * and −20 % iteration shifts found. Side by side: the default (Mann-Whitney) and Welch's t. Also the
 * per-metric false-regression rate of single-run (gate-only) comparisons.
 *
 * <p>Run: {@code java -cp 'ktstr-bench/target/classes:ktstr-bench/target/lib/*' dev.ktstr.bench.stats.CalibrationTable}
 */
public final class CalibrationTable {

    private static final int PAIRS = 100;

    private CalibrationTable() {}

    public static void main(String[] args) {
        System.out.println("A/A: 5 tests x 19 metrics per pair, " + PAIRS + " pairs; power: 4 tests at the model's"
                + " centres, " + PAIRS + " trials, p99 x1.2 and iterations x0.8 in every test");
        System.out.printf(Locale.ROOT, "%-6s %-13s %5s %12s %10s %12s %14s%n", "noise", "test", "runs",
                "A/A false %", "p99 +20%", "iters -20%", "p99 inconcl. %");
        for (double noise : new double[] {1.0, 1.5, 2.0}) {
            for (StatTest t : StatTest.values()) {
                for (int runs : new int[] {1, 3, 5, 10, 20}) {
                    if (t == StatTest.WELCH && runs == 1) {
                        continue;
                    }
                    NoiseModel m = NoiseModel.VM_TYPICAL.scaledCv(noise);
                    ComparePolicy p = ComparePolicy.defaults().withTest(t);
                    double aa = aa(m, runs, p, null);
                    double[] pw = power(m, runs, p);
                    System.out.printf(Locale.ROOT, "%-6s %-13s %5d %11.2f%% %9.1f%% %11.1f%% %13.1f%%%n",
                            noise + "x", t.label(), runs, aa * 100, pw[0] * 100, pw[1] * 100, pw[2] * 100);
                }
            }
        }
        System.out.println();
        System.out.println("single run per side (gate only), 1x noise: false regressions per metric");
        Map<String, int[]> perMetric = new TreeMap<>();
        aa(NoiseModel.VM_TYPICAL, 1, ComparePolicy.defaults(), perMetric);
        for (var e : perMetric.entrySet()) {
            System.out.printf(Locale.ROOT, "  %-34s %6.2f%%%n", e.getKey(), 100.0 * e.getValue()[0] / e.getValue()[1]);
        }
        System.out.println("  (" + Metrics.ALL.size() + " metrics)");
    }

    private static double aa(NoiseModel m, int runs, ComparePolicy p, Map<String, int[]> perMetric) {
        long reg = 0;
        long cells = 0;
        for (int pair = 0; pair < PAIRS; pair++) {
            SyntheticSuite s = new SyntheticSuite(m, pair, 5);
            Random rng = new Random(10_000 + pair);
            List<RunResult> a = s.side(rng, "7.3.4", runs, Map.of());
            List<RunResult> b = s.side(rng, "7.3.4", runs, Map.of());
            Comparison c = ResultComparator.compare(a, b, p);
            reg += c.counts().count(Verdict.REGRESSION);
            cells += c.counts().cells();
            if (perMetric != null) {
                for (Cell x : c.cells()) {
                    int[] v = perMetric.computeIfAbsent(x.metric(), k -> new int[2]);
                    v[0] += x.verdict() == Verdict.REGRESSION ? 1 : 0;
                    v[1]++;
                }
            }
        }
        return (double) reg / cells;
    }

    private static double[] power(NoiseModel m, int runs, ComparePolicy p) {
        int n = 0;
        int p99 = 0;
        int it = 0;
        int inc = 0;
        for (int trial = 0; trial < PAIRS; trial++) {
            SyntheticSuite s = new SyntheticSuite(m, 50_000 + trial, 4, 0);
            Random rng = new Random(90_000 + trial);
            List<RunResult> a = s.side(rng, "7.3.4", runs, Map.of());
            List<RunResult> b = s.side(rng, "7.3.4", runs,
                    Map.of("worst_p99_wake_latency_us", 1.2, "total_iterations", 0.8));
            for (Cell x : ResultComparator.compare(a, b, p).cells()) {
                if (x.metric().equals("worst_p99_wake_latency_us")) {
                    n++;
                    p99 += x.verdict() == Verdict.REGRESSION ? 1 : 0;
                    inc += x.verdict() == Verdict.INCONCLUSIVE ? 1 : 0;
                }
                if (x.metric().equals("total_iterations")) {
                    it += x.verdict() == Verdict.REGRESSION ? 1 : 0;
                }
            }
        }
        return new double[] {(double) p99 / n, (double) it / n, (double) inc / n};
    }
}
