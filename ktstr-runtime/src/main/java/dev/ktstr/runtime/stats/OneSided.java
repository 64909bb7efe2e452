package dev.ktstr.runtime.stats;

/**
 * The two one-sided p-values of a two-sample test of candidate (B) against baseline (A).
 *
 * @param pGreater  p-value for "B tends to be larger than A"
 * @param pLess     p-value for "B tends to be smaller than A"
 */
public record OneSided(double pGreater, double pLess) {

    /** No evidence either way (e.g. every value equal). */
    public static final OneSided NONE = new OneSided(1.0, 1.0);

    /** The p-value for "B is worse than A" under {@code polarity}. */
    public double pWorse(Polarity polarity) {
        return polarity == Polarity.LOWER_IS_BETTER ? pGreater : pLess;
    }

    /** The p-value for "B is better than A" under {@code polarity}. */
    public double pBetter(Polarity polarity) {
        return polarity == Polarity.LOWER_IS_BETTER ? pLess : pGreater;
    }
}
