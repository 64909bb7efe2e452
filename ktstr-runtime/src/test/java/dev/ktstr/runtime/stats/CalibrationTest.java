package dev.ktstr.runtime.stats;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.runtime.result.RunResult;
import dev.ktstr.runtime.stats.synth.NoiseModel;
import dev.ktstr.runtime.stats.synth.SyntheticSuite;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Calibration of the comparator on synthetic result sets drawn from {@link NoiseModel#VM_TYPICAL}
 * (see its comment for the noise model): A/A pairs of identical configuration must produce
 * regressions in at most 5 % of metric cells, and injected shifts must be found.
 */
class CalibrationTest {

    private static final int TESTS = 5;

    /** Regression cells / all cells over {@code pairs} A/A pairs starting at {@code seed}. */
    static double aaRate(NoiseModel model, long seed, int pairs, int runs, ComparePolicy policy) {
        long reg = 0;
        long cells = 0;
        for (int pair = 0; pair < pairs; pair++) {
            SyntheticSuite suite = new SyntheticSuite(model, seed * 7919 + pair, TESTS);
            Random rng = new Random(seed * 104_729 + pair);
            List<RunResult> a = suite.side(rng, "7.3.4", runs, Map.of());
            List<RunResult> b = suite.side(rng, "7.3.4", runs, Map.of());
            Comparison c = ResultComparator.compare(a, b, policy);
            reg += c.counts().count(Verdict.REGRESSION);
            cells += c.counts().cells();
        }
        return (double) reg / cells;
    }

    @Test
    void twentyAaPairsFixedSeedStayBelowFivePercent() {
        for (StatTest t : StatTest.values()) {
            for (int runs : new int[] {1, 3, 5, 10}) {
                double rate = aaRate(NoiseModel.VM_TYPICAL, 42, 20, runs, ComparePolicy.defaults().withTest(t));
                assertTrue(rate <= 0.05, t + ", " + runs + " runs per side: false regressions in " + rate * 100
                        + " % of cells");
            }
        }
    }

    @Test
    void aaOverManySeedsStaysBelowFivePercent() {
        for (long seed = 1; seed <= 10; seed++) {
            for (int runs : new int[] {1, 5, 10}) {
                double rate = aaRate(NoiseModel.VM_TYPICAL, seed, 20, runs, ComparePolicy.defaults());
                assertTrue(rate <= 0.05, "seed " + seed + ", " + runs + " runs: " + rate * 100 + " %");
            }
        }
    }

    @Test
    void repeatedRunsStayCalibratedOnTwiceNoisierHostsAndWithWelch() {
        // With repeated runs the test, not the gate, carries the noise: doubling every CV must not
        // break the false-regression rate.
        for (StatTest t : StatTest.values()) {
            double rate = aaRate(NoiseModel.VM_TYPICAL.scaledCv(2.0), 3, 40, 10, ComparePolicy.defaults().withTest(t));
            assertTrue(rate <= 0.05, t + " at 2x noise: " + rate * 100 + " %");
        }
    }

    @Test
    void twentyPercentShiftsAreFoundInNinetyPercentOfTrialsAtTenRuns() {
        int trials = 200;
        int p99Found = 0;
        int itersFound = 0;
        int cells = 0;
        for (int trial = 0; trial < trials; trial++) {
            // Every test at the model's centres (p99 400 us), so a +20 % shift (80 us) is above the
            // absolute gate; 4 tests x 19 metrics = 76 cells per comparison go into the correction.
            SyntheticSuite suite = new SyntheticSuite(NoiseModel.VM_TYPICAL, 1000 + trial, 4, 0);
            Random rng = new Random(5000 + trial);
            List<RunResult> a = suite.side(rng, "7.3.4", 10, Map.of());
            List<RunResult> b = suite.side(rng, "7.3.4", 10,
                    Map.of("worst_p99_wake_latency_us", 1.2, "total_iterations", 0.8));
            Comparison c = ResultComparator.compare(a, b, ComparePolicy.defaults());
            for (Cell x : c.cells()) {
                if (x.metric().equals("worst_p99_wake_latency_us")) {
                    cells++;
                    p99Found += x.verdict() == Verdict.REGRESSION ? 1 : 0;
                }
                if (x.metric().equals("total_iterations")) {
                    itersFound += x.verdict() == Verdict.REGRESSION ? 1 : 0;
                }
            }
        }
        assertTrue(p99Found >= 0.9 * cells, "p99 +20 %: found in " + p99Found + " of " + cells);
        assertTrue(itersFound >= 0.9 * cells, "iterations -20 %: found in " + itersFound + " of " + cells);
    }

    @Test
    void noiseModelHasTheCoefficientsItClaims() {
        NoiseModel m = NoiseModel.VM_TYPICAL;
        Map<String, Double> centers = m.testCenters(new Random(1), 0);
        Random rng = new Random(2);
        int n = 20_000;
        double s = 0;
        double ss = 0;
        double it = 0;
        double itss = 0;
        for (int i = 0; i < n; i++) {
            Map<String, Double> v = m.sample(rng, centers, Map.of());
            double p = v.get("worst_p99_wake_latency_us");
            s += p;
            ss += p * p;
            double t = v.get("total_iterations");
            it += t;
            itss += t * t;
        }
        double mean = s / n;
        double cv = Math.sqrt(ss / n - mean * mean) / mean;
        assertTrue(Math.abs(mean / 400 - 1) < 0.01, "p99 mean " + mean);
        assertTrue(Math.abs(cv - NoiseModel.impliedCv("worst_p99_wake_latency_us")) < 0.005, "p99 cv " + cv);
        double imean = it / n;
        double icv = Math.sqrt(itss / n - imean * imean) / imean;
        assertTrue(Math.abs(icv - NoiseModel.impliedCv("total_iterations")) < 0.003, "iterations cv " + icv);
    }
}
