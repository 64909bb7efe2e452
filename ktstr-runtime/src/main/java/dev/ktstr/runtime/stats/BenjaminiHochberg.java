package dev.ktstr.runtime.stats;

import java.util.Arrays;

/**
 * The Benjamini–Hochberg step-up procedure (Benjamini &amp; Hochberg 1995, JRSS B 57(1)): adjusted
 * p-values (q-values) such that calling every hypothesis with {@code q ≤ α} a discovery keeps the
 * expected share of false discoveries at most α, under independence or positive dependence.
 */
public final class BenjaminiHochberg {

    private BenjaminiHochberg() {}

    /**
     * The adjusted p-values of {@code p}. {@code NaN} entries are not part of the family and stay
     * {@code NaN}; the family size is the number of other entries.
     */
    public static double[] adjust(double[] p) {
        int m = 0;
        for (double v : p) {
            if (!Double.isNaN(v)) {
                m++;
            }
        }
        double[] q = new double[p.length];
        Arrays.fill(q, Double.NaN);
        if (m == 0) {
            return q;
        }
        Integer[] idx = new Integer[m];
        int k = 0;
        for (int i = 0; i < p.length; i++) {
            if (!Double.isNaN(p[i])) {
                idx[k++] = i;
            }
        }
        Arrays.sort(idx, (x, y) -> Double.compare(p[x], p[y]));
        double running = 1.0;
        for (int r = m - 1; r >= 0; r--) {
            double adj = Math.min(1.0, p[idx[r]] * m / (r + 1));
            running = Math.min(running, adj);
            q[idx[r]] = running;
        }
        return q;
    }

    /** The number of discoveries at level {@code alpha} among adjusted values {@code q}. */
    public static int discoveries(double[] q, double alpha) {
        int n = 0;
        for (double v : q) {
            if (v <= alpha) {
                n++;
            }
        }
        return n;
    }
}
