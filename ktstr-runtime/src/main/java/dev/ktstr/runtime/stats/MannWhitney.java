package dev.ktstr.runtime.stats;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.math3.special.Erf;

/**
 * The Mann-Whitney U test (Wilcoxon rank-sum), one-sided in both directions. Follows the textbook
 * definition (Mann &amp; Whitney 1947; Hollander &amp; Wolfe, <i>Nonparametric Statistical Methods</i>,
 * §4.1): {@code U_B} counts pairs (a, b) with b &gt; a, ties counting one half.
 *
 * <p>Without ties and with {@code nA·nB ≤ 2500} the p-value is exact, from the null distribution of
 * U computed once per sample-size pair and cached. Otherwise the normal approximation with the tie
 * correction of the variance and a continuity correction of ½ is used. commons-math3's own
 * {@code MannWhitneyUTest} is two-sided and asymptotic only, so it is not used here.
 */
public final class MannWhitney {

    private static final int EXACT_MAX_PRODUCT = 2500;
    private static final double SQRT2 = Math.sqrt(2.0);

    /** Upper-tail probabilities P(U ≥ u), per (nA, nB). */
    private static final ConcurrentHashMap<Long, double[]> UPPER_TAILS = new ConcurrentHashMap<>();

    private MannWhitney() {}

    /** Tests {@code b} (candidate) against {@code a} (baseline); each needs at least one value. */
    public static OneSided test(double[] a, double[] b) {
        return test(a, a.length, b, b.length);
    }

    /** As {@link #test(double[], double[])} on the first {@code nA}/{@code nB} values. */
    public static OneSided test(double[] a, int nA, double[] b, int nB) {
        if (nA < 1 || nB < 1) {
            throw new IllegalArgumentException("Mann-Whitney needs a value on each side, got " + nA + " and " + nB);
        }
        double uB = 0;
        for (int j = 0; j < nB; j++) {
            double bj = b[j];
            for (int i = 0; i < nA; i++) {
                double ai = a[i];
                if (bj > ai) {
                    uB += 1;
                } else if (bj == ai) {
                    uB += 0.5;
                }
            }
        }
        int n = nA + nB;
        double[] pooled = new double[n];
        System.arraycopy(a, 0, pooled, 0, nA);
        System.arraycopy(b, 0, pooled, nA, nB);
        Arrays.sort(pooled);
        double tieTerm = 0;
        for (int i = 0; i < n; ) {
            int k = i + 1;
            while (k < n && pooled[k] == pooled[i]) {
                k++;
            }
            double t = k - i;
            tieTerm += t * t * t - t;
            i = k;
        }
        long product = (long) nA * nB;
        if (tieTerm == 0 && product <= EXACT_MAX_PRODUCT) {
            double[] upper = upperTail(nA, nB);
            int u = (int) uB;
            // P(U_B >= u) and, by symmetry of U_A = nA*nB - U_B, P(U_B <= u) = P(U_B >= nA*nB - u).
            return new OneSided(upper[u], upper[(int) (product - u)]);
        }
        double mu = product / 2.0;
        double var = product / 12.0 * ((n + 1) - tieTerm / ((double) n * (n - 1)));
        if (var <= 0) {
            return OneSided.NONE;
        }
        double sd = Math.sqrt(var);
        double zGreater = (uB - mu - 0.5) / sd;
        double zLess = (mu - uB - 0.5) / sd;
        return new OneSided(upperNormal(zGreater), upperNormal(zLess));
    }

    /**
     * The smallest one-sided p-value the exact test can produce with {@code n} runs on each side:
     * {@code 1 / C(2n, n)}. Below 4 runs per side it exceeds 0.05.
     */
    public static double minimumP(int nA, int nB) {
        // 1 / C(nA+nB, nA), computed in logs to stay finite.
        double logC = 0;
        for (int i = 1; i <= nA; i++) {
            logC += Math.log(nB + i) - Math.log(i);
        }
        return Math.exp(-logC);
    }

    private static double upperNormal(double z) {
        return 0.5 * Erf.erfc(z / SQRT2);
    }

    /** P(U ≥ u) for u = 0..nA·nB under the null hypothesis, from the exact count of arrangements. */
    static double[] upperTail(int nA, int nB) {
        return UPPER_TAILS.computeIfAbsent(((long) nA << 32) | nB, k -> computeUpperTail(nA, nB));
    }

    private static double[] computeUpperTail(int nA, int nB) {
        int maxU = nA * nB;
        // c[i][u]: arrangements of i A-values and j B-values with U_B = u, rolled over j. Placing the
        // largest value last: a B-value beats all i A-values (u - i), an A-value beats none.
        double[][] prev = new double[nA + 1][maxU + 1];
        for (int i = 0; i <= nA; i++) {
            prev[i][0] = 1;
        }
        for (int j = 1; j <= nB; j++) {
            double[][] cur = new double[nA + 1][maxU + 1];
            cur[0][0] = 1;
            for (int i = 1; i <= nA; i++) {
                for (int u = 0; u <= maxU; u++) {
                    double v = cur[i - 1][u];
                    if (u >= i) {
                        v += prev[i][u - i];
                    }
                    cur[i][u] = v;
                }
            }
            prev = cur;
        }
        double[] counts = prev[nA];
        double total = 0;
        for (double c : counts) {
            total += c;
        }
        double[] upper = new double[maxU + 1];
        double acc = 0;
        for (int u = maxU; u >= 0; u--) {
            acc += counts[u];
            upper[u] = Math.min(1.0, acc / total);
        }
        return upper;
    }
}
