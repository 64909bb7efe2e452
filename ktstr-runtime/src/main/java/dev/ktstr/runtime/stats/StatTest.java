package dev.ktstr.runtime.stats;

import java.util.Locale;

/** The significance test applied to a cell with repeated runs on both sides. */
public enum StatTest {
    /**
     * The default: Mann-Whitney when both sides have at least {@value #AUTO_MIN_RUNS} runs, Welch's t
     * below that, where the rank test cannot reach a useful p-value (its smallest one-sided p is
     * {@code 1/C(2n,n)}: 0.05 at 3 runs per side, 0.014 at 4, 0.004 at 5).
     */
    AUTO("auto"),
    /**
     * Mann-Whitney U on the per-run values: rank-based, so a single outlier run or a long-tailed
     * metric (latency percentiles) does not dominate. Exact null distribution when there are no ties
     * and the samples are small, normal approximation with tie and continuity correction otherwise.
     * With fewer than 4 runs per side it cannot reach p ≤ 0.05 at all.
     */
    MANN_WHITNEY("mann-whitney"),
    /** Welch's unequal-variance t-test on the per-side mean, standard deviation and count. */
    WELCH("welch");

    /** Runs per side from which {@link #AUTO} uses Mann-Whitney. */
    public static final int AUTO_MIN_RUNS = 5;

    private final String label;

    StatTest(String label) {
        this.label = label;
    }

    /** {@code mann-whitney} or {@code welch}. */
    public String label() {
        return label;
    }

    /** The concrete test for samples of {@code nA} and {@code nB} runs ({@link #AUTO} resolved). */
    public StatTest resolve(int nA, int nB) {
        if (this != AUTO) {
            return this;
        }
        return Math.min(nA, nB) >= AUTO_MIN_RUNS ? MANN_WHITNEY : WELCH;
    }

    /** Parses {@code auto}, {@code mann-whitney}/{@code mw}/{@code u} or {@code welch}/{@code t}. */
    public static StatTest parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT).replace('_', '-')) {
            case "auto" -> AUTO;
            case "mann-whitney", "mannwhitney", "mw", "u" -> MANN_WHITNEY;
            case "welch", "t", "welch-t" -> WELCH;
            default -> throw new IllegalArgumentException(
                    "[KtstrUnknownTest] '" + s + "'; known: auto, mann-whitney, welch");
        };
    }
}
