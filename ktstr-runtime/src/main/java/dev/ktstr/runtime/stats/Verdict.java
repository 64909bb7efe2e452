package dev.ktstr.runtime.stats;

/** What the comparator concluded about one cell (one pair of groups × one metric). */
public enum Verdict {
    /** Worse beyond both gates and (with repeated runs) significantly so. */
    REGRESSION,
    /** Better beyond both gates and (with repeated runs) significantly so. */
    IMPROVEMENT,
    /** Beyond both gates, but not significant: more runs would decide it. */
    INCONCLUSIVE,
    /** Within the gates (including changes that are significant but too small to matter). */
    UNCHANGED,
    /** Not comparable: data on one side only, or the metric's guard is not met. */
    NOT_APPLICABLE;

    /** Lower-case label for tables and JSON. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
