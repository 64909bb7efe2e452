package dev.ktstr.runtime.stats;

import java.util.Arrays;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * One side's values of one metric in one group: count, location and spread, and the 95 % confidence
 * interval of the mean (Student's t).
 *
 * @param n       runs with a value
 * @param mean    arithmetic mean
 * @param sd      sample standard deviation (n − 1); 0 with one run
 * @param ci95    half-width of the 95 % interval of the mean; {@code NaN} with one run
 * @param median  median
 * @param min     smallest value
 * @param max     largest value
 * @param values  the per-run values, in run order
 */
public record SideSummary(int n, double mean, double sd, double ci95, double median, double min, double max,
        double[] values) {

    private static final double[] T975 = new double[101];

    static {
        for (int df = 1; df < T975.length; df++) {
            T975[df] = new TDistribution(null, df).inverseCumulativeProbability(0.975);
        }
    }

    /** The summary of the first {@code n} values of {@code v} (n ≥ 1). */
    public static SideSummary of(double[] v, int n) {
        double[] vals = Arrays.copyOf(v, n);
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double x : vals) {
            sum += x;
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        double mean = sum / n;
        double ss = 0;
        for (double x : vals) {
            ss += (x - mean) * (x - mean);
        }
        double sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
        double ci = n > 1 ? tQuantile975(n - 1) * sd / Math.sqrt(n) : Double.NaN;
        double[] sorted = vals.clone();
        Arrays.sort(sorted);
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new SideSummary(n, mean, sd, ci, median, min, max, vals);
    }

    /** Variance (sd²). */
    public double variance() {
        return sd * sd;
    }

    /** Coefficient of variation sd/|mean|; {@code NaN} when the mean is 0. */
    public double cv() {
        return mean == 0 ? Double.NaN : sd / Math.abs(mean);
    }

    static double tQuantile975(int df) {
        return df < T975.length ? T975[df] : 1.959964 + 2.4 / df;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SideSummary s && n == s.n && Arrays.equals(values, s.values);
    }

    @Override
    public int hashCode() {
        return 31 * n + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "SideSummary[n=" + n + ", mean=" + mean + ", sd=" + sd + "]";
    }
}
