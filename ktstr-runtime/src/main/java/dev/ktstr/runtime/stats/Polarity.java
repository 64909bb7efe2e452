package dev.ktstr.runtime.stats;

/** Which direction of change is good for a metric; the other direction is a regression. */
public enum Polarity {
    /** Smaller values are better (latencies, gaps, stalls). */
    LOWER_IS_BETTER,
    /** Larger values are better (iterations, page locality). */
    HIGHER_IS_BETTER;

    /** Whether a change by {@code delta} (candidate − baseline) is in the bad direction. */
    public boolean isWorse(double delta) {
        return this == LOWER_IS_BETTER ? delta > 0 : delta < 0;
    }

    /** Short form used in tables and JSON: {@code lower} or {@code higher}. */
    public String label() {
        return this == LOWER_IS_BETTER ? "lower" : "higher";
    }
}
