package dev.ktstr.runtime.stats;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * Welch's unequal-variance t-test on summaries (mean, variance, count per side), one-sided in both
 * directions, with Welch–Satterthwaite degrees of freedom (Welch 1947). The t distribution is
 * commons-math3's, built without a random generator (its default seeds one per instance, which
 * would dominate the cost of a cell).
 */
public final class WelchTest {

    private WelchTest() {}

    /** Tests candidate (B) against baseline (A); each side needs at least 2 runs. */
    public static OneSided test(double meanA, double varA, int nA, double meanB, double varB, int nB) {
        if (nA < 2 || nB < 2) {
            throw new IllegalArgumentException("Welch's t needs 2 runs per side, got " + nA + " and " + nB);
        }
        double sa = varA / nA;
        double sb = varB / nB;
        double se2 = sa + sb;
        double diff = meanB - meanA;
        if (!(se2 > 0)) {
            // No spread on either side: the difference, if any, is certain.
            if (diff > 0) {
                return new OneSided(0.0, 1.0);
            }
            return diff < 0 ? new OneSided(1.0, 0.0) : OneSided.NONE;
        }
        double t = diff / Math.sqrt(se2);
        double df = se2 * se2 / (sa * sa / (nA - 1) + sb * sb / (nB - 1));
        TDistribution dist = new TDistribution(null, df);
        return new OneSided(dist.cumulativeProbability(-t), dist.cumulativeProbability(t));
    }
}
