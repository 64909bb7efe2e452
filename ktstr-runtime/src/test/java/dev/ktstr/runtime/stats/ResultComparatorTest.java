package dev.ktstr.runtime.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.runtime.result.RunResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The dual gate, the significance step, and the bookkeeping of everything not compared. */
class ResultComparatorTest {

    private static final ComparePolicy P = ComparePolicy.defaults();

    private static List<RunResult> runs(String test, String kernel, String metric, double... values) {
        List<RunResult> out = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            out.add(Fixtures.run(test, kernel, i, Map.of(metric, values[i], "total_iterations", 50_000.0)));
        }
        return out;
    }

    private static Cell cell(Comparison c, String metric) {
        return c.cells().stream().filter(x -> x.metric().equals(metric)).findFirst().orElseThrow();
    }

    @Test
    void singleRunsAreJudgedByTheGatesAloneAndFlagged() {
        // p99: abs gate 50 us, rel gate 25 %.
        Comparison c = ResultComparator.compare(runs("t", "k", "worst_p99_wake_latency_us", 400),
                runs("t", "k", "worst_p99_wake_latency_us", 520), P);
        Cell x = cell(c, "worst_p99_wake_latency_us");
        assertEquals(Verdict.REGRESSION, x.verdict());
        assertTrue(x.gateOnly());
        assertEquals(2, c.counts().gateOnlyCells(), "p99 and total_iterations, both single runs");
        // +24 %: clears the absolute gate, not the relative one.
        assertEquals(Verdict.UNCHANGED, cell(ResultComparator.compare(runs("t", "k", "worst_p99_wake_latency_us", 400),
                runs("t", "k", "worst_p99_wake_latency_us", 496), P), "worst_p99_wake_latency_us").verdict());
        // +40 % of 100 us = 40 us: clears the relative gate, not the absolute one.
        assertEquals(Verdict.UNCHANGED, cell(ResultComparator.compare(runs("t", "k", "worst_p99_wake_latency_us", 100),
                runs("t", "k", "worst_p99_wake_latency_us", 140), P), "worst_p99_wake_latency_us").verdict());
    }

    @Test
    void polarityDecidesRegressionOrImprovement() {
        Comparison down = ResultComparator.compare(runs("t", "k", "worst_p99_wake_latency_us", 400),
                runs("t", "k", "worst_p99_wake_latency_us", 200), P);
        assertEquals(Verdict.IMPROVEMENT, cell(down, "worst_p99_wake_latency_us").verdict());
        List<RunResult> a = List.of(Fixtures.run("t", "k", 0, Map.of("total_iterations", 50_000.0)));
        List<RunResult> b = List.of(Fixtures.run("t", "k", 0, Map.of("total_iterations", 40_000.0)));
        assertEquals(Verdict.REGRESSION, cell(ResultComparator.compare(a, b, P), "total_iterations").verdict());
        assertEquals(Verdict.IMPROVEMENT, cell(ResultComparator.compare(b, a, P), "total_iterations").verdict());
    }

    @Test
    void aChangeFromZeroClearsTheRelativeGate() {
        Comparison c = ResultComparator.compare(runs("t", "k", "stall_count", 0), runs("t", "k", "stall_count", 3), P);
        Cell x = cell(c, "stall_count");
        assertEquals(Verdict.REGRESSION, x.verdict());
        assertEquals(Double.POSITIVE_INFINITY, x.relChange());
        Cell zero = cell(ResultComparator.compare(runs("t", "k", "stall_count", 0, 0),
                runs("t", "k", "stall_count", 0, 0), P), "stall_count");
        assertEquals(Verdict.UNCHANGED, zero.verdict());
        assertEquals("both zero", zero.note());
    }

    @Test
    void repeatedRunsNeedSignificance() {
        double[] base = {400, 410, 395, 405, 398, 402, 407, 393, 401, 399};
        double[] worse = new double[10];
        for (int i = 0; i < 10; i++) {
            worse[i] = base[i] * 1.3;
        }
        Cell reg = cell(ResultComparator.compare(runs("t", "k", "worst_p99_wake_latency_us", base),
                runs("t", "k", "worst_p99_wake_latency_us", worse), P), "worst_p99_wake_latency_us");
        assertEquals(Verdict.REGRESSION, reg.verdict());
        assertFalse(reg.gateOnly());
        assertTrue(reg.q() <= 0.05, "q " + reg.q());
        assertEquals(StatTest.MANN_WHITNEY, reg.test(), "auto: 10 runs per side use Mann-Whitney");
        // Three noisy runs per side: clears the gates, but Mann-Whitney cannot reach 0.05 with 3 runs.
        Cell inc = cell(ResultComparator.compare(runs("t", "k", "worst_p99_wake_latency_us", 380, 420, 400),
                runs("t", "k", "worst_p99_wake_latency_us", 480, 560, 520), P.withTest(StatTest.MANN_WHITNEY)),
                "worst_p99_wake_latency_us");
        assertEquals(Verdict.INCONCLUSIVE, inc.verdict());
        assertTrue(inc.furtherRuns() >= 1 && inc.furtherRuns() < 20, "further runs " + inc.furtherRuns());
        // Welch on the same summaries can decide it, and is what the default (auto) uses at 3 runs.
        Cell welch = cell(ResultComparator.compare(runs("t", "k", "worst_p99_wake_latency_us", 380, 420, 400),
                runs("t", "k", "worst_p99_wake_latency_us", 480, 560, 520), P), "worst_p99_wake_latency_us");
        assertEquals(StatTest.WELCH, welch.test());
        assertEquals(Verdict.REGRESSION, welch.verdict());
    }

    @Test
    void repeatedRunsUseHalfTheRegistryGatesUnlessOverridden() {
        Metric p99 = Metrics.byName("worst_p99_wake_latency_us");
        assertEquals(0.25, P.relGate(p99, false));
        assertEquals(0.125, P.relGate(p99, true));
        assertEquals(50, P.absGate(p99, false));
        assertEquals(25, P.absGate(p99, true));
        ComparePolicy t = P.withThresholdPercent(10);
        assertEquals(0.10, t.relGate(p99, false));
        assertEquals(0.10, t.relGate(p99, true));
        assertEquals(0.05, t.withMetricRelative("worst_p99_wake_latency_us", 0.05).relGate(p99, true));
    }

    @Test
    void tailRatioNeedsAHundredIterations() {
        List<RunResult> a = List.of(Fixtures.run("t", "k", 0, Map.of("worst_wake_latency_tail_ratio", 2.0,
                "total_iterations", 50.0)));
        List<RunResult> b = List.of(Fixtures.run("t", "k", 0, Map.of("worst_wake_latency_tail_ratio", 9.0,
                "total_iterations", 50.0)));
        Cell x = cell(ResultComparator.compare(a, b, P), "worst_wake_latency_tail_ratio");
        assertEquals(Verdict.NOT_APPLICABLE, x.verdict());
        assertTrue(x.note().contains("total_iterations below 100"), x.note());
    }

    @Test
    void failedRunsAreReportedNotUsedAndAllFailedSkipsThePair() {
        List<RunResult> a = runs("t", "k", "worst_p99_wake_latency_us", 400, 400, 400);
        List<RunResult> b = new ArrayList<>(runs("t", "k", "worst_p99_wake_latency_us", 410, 9000, 405));
        b.set(1, Fixtures.failed(b.get(1), "Stuck", "stuck 2100ms on cpu1"));
        Comparison c = ResultComparator.compare(a, b, P);
        assertEquals(1, c.counts().excludedRunsB());
        assertEquals(1, c.excludedRuns().size());
        assertTrue(c.excludedRuns().get(0).reason().startsWith("Stuck: "));
        assertEquals(2, cell(c, "worst_p99_wake_latency_us").b().n(), "the failed run's 9000 us is not a sample");

        List<RunResult> allFailed = b.stream().map(r -> Fixtures.failed(r, "Starved", "no work")).toList();
        Comparison s = ResultComparator.compare(a, allFailed, P);
        assertEquals(0, s.counts().pairsCompared());
        assertEquals(1, s.counts().pairsSkipped());
        assertTrue(s.skipped().get(0).reason().contains("B: 3 runs, none passed"), s.skipped().get(0).reason());
        assertEquals(0, s.counts().cells());
    }

    @Test
    void unpairedKeysAreCountedPerSide() {
        List<RunResult> a = new ArrayList<>(runs("t1", "k", "worst_spread", 5));
        a.addAll(runs("t2", "k", "worst_spread", 5));
        List<RunResult> b = new ArrayList<>(runs("t1", "k", "worst_spread", 5));
        b.addAll(runs("t3", "k", "worst_spread", 5));
        Comparison c = ResultComparator.compare(a, b, P);
        assertEquals(1, c.counts().pairsCompared());
        assertEquals(1, c.counts().unpairedA());
        assertEquals(1, c.counts().unpairedB());
    }

    @Test
    void aDimensionThatDiffersBetweenTheSidesIsWhatIsCompared() {
        Comparison c = ResultComparator.compare(runs("t", "7.3.4", "worst_spread", 5),
                runs("t", "7.4.0", "worst_spread", 20), P);
        assertEquals(List.of(new ComparedDimension(Dimension.KERNEL, "7.3.4", "7.4.0")), c.compared());
        assertFalse(c.pairedBy().contains(Dimension.KERNEL));
        assertEquals(1, c.counts().pairsCompared());
        Comparison kept = ResultComparator.compare(runs("t", "7.3.4", "worst_spread", 5),
                runs("t", "7.4.0", "worst_spread", 20), P.withPairBy(Dimension.DEFAULT_PAIRING, false));
        assertEquals(0, kept.counts().pairsCompared());
        assertEquals(1, kept.counts().unpairedA());
    }

    @Test
    void metricsOnOneSideOnlyAndUnknownMetricsAreReported() {
        List<RunResult> a = List.of(Fixtures.run("t", "k", 0, Map.of("worst_page_locality", 0.9, "my_metric", 1.0)));
        List<RunResult> b = List.of(Fixtures.run("t", "k", 0, Map.of("worst_spread", 3.0)));
        Comparison c = ResultComparator.compare(a, b, P);
        assertEquals(Verdict.NOT_APPLICABLE, cell(c, "worst_page_locality").verdict());
        assertEquals("only in A", cell(c, "worst_page_locality").note());
        assertEquals(java.util.Set.of("my_metric"), c.unknownMetrics());
        assertEquals(c.cells().size(), c.counts().cells());
        int sum = 0;
        for (Verdict v : Verdict.values()) {
            sum += c.counts().count(v);
        }
        assertEquals(c.counts().cells(), sum, "every cell has exactly one verdict");
    }

    @Test
    void runsNeededEstimateIsRoughlyCalibrated() {
        // Effect of one standard deviation: the normal-theory answer for 80 % power at alpha 0.05
        // (one test, no correction) is about 2 (1.645 + 0.84)^2 / 0.955 = 13 runs per side.
        Random rng = new Random(2);
        double[] a = new double[4];
        double[] b = new double[4];
        int inconclusive = 0;
        int sum = 0;
        for (int trial = 0; trial < 200; trial++) {
            for (int i = 0; i < 4; i++) {
                a[i] = 1000 + 100 * rng.nextGaussian();
                b[i] = 1100 + 100 * rng.nextGaussian();
            }
            Cell x = cell(ResultComparator.compare(runs("t", "k", "worst_run_delay_us", a),
                    runs("t", "k", "worst_run_delay_us", b), P.withMetricRelative("worst_run_delay_us", 0)),
                    "worst_run_delay_us");
            if (x.verdict() == Verdict.INCONCLUSIVE) {
                inconclusive++;
                sum += 4 + Math.min(x.furtherRuns(), 200);
            }
        }
        double meanTotal = (double) sum / inconclusive;
        assertTrue(meanTotal > 6 && meanTotal < 60, "mean suggested runs per side " + meanTotal);
    }
}
