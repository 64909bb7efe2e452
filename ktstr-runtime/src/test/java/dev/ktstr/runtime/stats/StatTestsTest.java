package dev.ktstr.runtime.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;
import org.apache.commons.math3.stat.inference.TTest;
import org.junit.jupiter.api.Test;

/** The significance tests and the false-discovery correction against textbook values and commons-math3. */
class StatTestsTest {

    @Test
    void mannWhitneyExactCompleteSeparation() {
        OneSided p = MannWhitney.test(new double[] {1, 2, 3}, new double[] {4, 5, 6});
        assertEquals(1.0 / 20, p.pGreater(), 1e-12, "1 / C(6,3)");
        assertEquals(1.0, p.pLess(), 1e-12);
        assertEquals(1.0 / 184756, MannWhitney.minimumP(10, 10), 1e-15, "1 / C(20,10)");
        assertTrue(MannWhitney.minimumP(3, 3) > 0.05 && MannWhitney.minimumP(4, 4) < 0.05);
    }

    @Test
    void mannWhitneyExactMatchesEnumerationOfAllLabelings() {
        Random rng = new Random(3);
        for (int trial = 0; trial < 30; trial++) {
            int nA = 2 + rng.nextInt(4);
            int nB = 2 + rng.nextInt(4);
            double[] a = new double[nA];
            double[] b = new double[nB];
            for (int i = 0; i < nA; i++) {
                a[i] = rng.nextGaussian();
            }
            for (int i = 0; i < nB; i++) {
                b[i] = rng.nextGaussian() + 0.5;
            }
            double uObs = u(a, b);
            double[] pooled = new double[nA + nB];
            System.arraycopy(a, 0, pooled, 0, nA);
            System.arraycopy(b, 0, pooled, nA, nB);
            int n = pooled.length;
            int ge = 0;
            int le = 0;
            int total = 0;
            for (int mask = 0; mask < (1 << n); mask++) {
                if (Integer.bitCount(mask) != nB) {
                    continue;
                }
                double[] xa = new double[nA];
                double[] xb = new double[nB];
                int ia = 0;
                int ib = 0;
                for (int i = 0; i < n; i++) {
                    if ((mask & (1 << i)) != 0) {
                        xb[ib++] = pooled[i];
                    } else {
                        xa[ia++] = pooled[i];
                    }
                }
                double uu = u(xa, xb);
                total++;
                ge += uu >= uObs - 1e-9 ? 1 : 0;
                le += uu <= uObs + 1e-9 ? 1 : 0;
            }
            OneSided p = MannWhitney.test(a, b);
            assertEquals((double) ge / total, p.pGreater(), 1e-12, "pGreater trial " + trial);
            assertEquals((double) le / total, p.pLess(), 1e-12, "pLess trial " + trial);
        }
    }

    private static double u(double[] a, double[] b) {
        double u = 0;
        for (double y : b) {
            for (double x : a) {
                u += y > x ? 1 : y == x ? 0.5 : 0;
            }
        }
        return u;
    }

    @Test
    void mannWhitneyNormalApproximationAgreesWithCommonsMath() {
        Random rng = new Random(5);
        for (int trial = 0; trial < 20; trial++) {
            double[] a = new double[60];
            double[] b = new double[70];
            for (int i = 0; i < a.length; i++) {
                a[i] = rng.nextGaussian();
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = rng.nextGaussian() + 0.3 * (trial % 3);
            }
            OneSided p = MannWhitney.test(a, b);
            double twoSided = Math.min(1, 2 * Math.min(p.pGreater(), p.pLess()));
            double commons = new MannWhitneyUTest().mannWhitneyUTest(a, b);
            assertEquals(commons, twoSided, 0.01, "trial " + trial);
        }
    }

    @Test
    void mannWhitneyWithTiesUsesTheCorrectedVariance() {
        OneSided p = MannWhitney.test(new double[] {0, 0, 0, 0, 1}, new double[] {2, 2, 3, 3, 3});
        assertTrue(p.pGreater() < 0.01, "clear shift despite ties: " + p);
        assertEquals(OneSided.NONE, MannWhitney.test(new double[] {1, 1, 1}, new double[] {1, 1, 1}));
    }

    @Test
    void welchAgreesWithCommonsMath() {
        Random rng = new Random(9);
        for (int trial = 0; trial < 20; trial++) {
            double[] a = new double[3 + trial % 7];
            double[] b = new double[4 + trial % 5];
            for (int i = 0; i < a.length; i++) {
                a[i] = 10 + rng.nextGaussian();
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = 10.5 + 2 * rng.nextGaussian();
            }
            SideSummary sa = SideSummary.of(a, a.length);
            SideSummary sb = SideSummary.of(b, b.length);
            OneSided p = WelchTest.test(sa.mean(), sa.variance(), sa.n(), sb.mean(), sb.variance(), sb.n());
            assertEquals(new TTest().tTest(a, b), 2 * Math.min(p.pGreater(), p.pLess()), 1e-9, "trial " + trial);
            assertEquals(1.0, p.pGreater() + p.pLess(), 1e-12);
        }
        assertEquals(new OneSided(0, 1), WelchTest.test(1, 0, 3, 2, 0, 3), "no spread, certain increase");
    }

    @Test
    void benjaminiHochbergTextbookExample() {
        double[] q = BenjaminiHochberg.adjust(new double[] {0.01, 0.04, Double.NaN, 0.03, 0.005});
        assertArrayEquals(new double[] {0.02, 0.04, Double.NaN, 0.04, 0.02}, q, 1e-12);
        assertEquals(2, BenjaminiHochberg.discoveries(q, 0.03));
    }

    @Test
    void benjaminiHochbergControlsTheFalseDiscoveryRateOnNulls() {
        Random rng = new Random(1);
        int falseFamilies = 0;
        for (int f = 0; f < 2000; f++) {
            double[] p = new double[50];
            for (int i = 0; i < p.length; i++) {
                p[i] = rng.nextDouble();
            }
            if (BenjaminiHochberg.discoveries(BenjaminiHochberg.adjust(p), 0.05) > 0) {
                falseFamilies++;
            }
        }
        // All nulls: FDR = P(any discovery) <= alpha.
        assertTrue(falseFamilies / 2000.0 <= 0.06, "family-wise false discoveries " + falseFamilies);
    }

    @Test
    void sideSummaryIntervalIsStudentT() {
        SideSummary s = SideSummary.of(new double[] {1, 2, 3, 4}, 4);
        assertEquals(2.5, s.mean(), 1e-12);
        assertEquals(Math.sqrt(5.0 / 3), s.sd(), 1e-12);
        assertEquals(3.182446 * s.sd() / 2, s.ci95(), 1e-5);
        assertEquals(2.5, s.median(), 1e-12);
        assertTrue(Double.isNaN(SideSummary.of(new double[] {7}, 1).ci95()));
    }
}
