package dev.ktstr.runtime.stats;

import java.util.Locale;

/** The significance test applied to a cell with repeated runs on both sides. */
public enum StatTest {
    /**
     * Mann-Whitney U on the per-run values: rank-based, so a single outlier run or a long-tailed
     * metric (latency percentiles) does not dominate. Exact null distribution when there are no ties
     * and the samples are small, normal approximation with tie and continuity correction otherwise.
     * With fewer than 4 runs per side it cannot reach p ≤ 0.05 at all.
     */
    MANN_WHITNEY("mann-whitney"),
    /** Welch's unequal-variance t-test on the per-side mean, standard deviation and count. */
    WELCH("welch");

    private final String label;

    StatTest(String label) {
        this.label = label;
    }

    /** {@code mann-whitney} or {@code welch}. */
    public String label() {
        return label;
    }

    /** Parses {@code mann-whitney}/{@code mw}/{@code u} or {@code welch}/{@code t}. */
    public static StatTest parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT).replace('_', '-')) {
            case "mann-whitney", "mannwhitney", "mw", "u" -> MANN_WHITNEY;
            case "welch", "t", "welch-t" -> WELCH;
            default -> throw new IllegalArgumentException(
                    "[KtstrUnknownTest] '" + s + "'; known: mann-whitney, welch");
        };
    }
}
