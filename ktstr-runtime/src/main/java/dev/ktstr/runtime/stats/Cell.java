package dev.ktstr.runtime.stats;

/**
 * The comparison of one metric between a baseline group (A) and the candidate group (B) of the same
 * key.
 *
 * @param key          the pairing key of both groups
 * @param metric       the metric's registry name
 * @param a            baseline values
 * @param b            candidate values
 * @param delta        {@code mean(B) − mean(A)}
 * @param relChange    {@code delta / |mean(A)|}; ±∞ when A is 0 and B is not
 * @param absGate      the absolute gate applied
 * @param relGate      the relative gate applied (fraction)
 * @param clearsGates  {@code |delta| ≥ absGate} and {@code |relChange| ≥ relGate}
 * @param gateOnly     no significance test (a side has a single run): verdict from the gates alone
 * @param test         the test applied ({@code null} when none: gate only, or not applicable)
 * @param pWorse       one-sided p-value for "B worse than A"; {@code NaN} when not tested
 * @param pBetter      one-sided p-value for "B better than A"; {@code NaN} when not tested
 * @param q            false-discovery-adjusted p-value in the direction of the change; {@code NaN} when not tested
 * @param verdict      the conclusion
 * @param furtherRuns  for inconclusive cells, the estimated further runs per side that would decide
 *                     the cell at the policy's power ({@link #MANY_RUNS} means "more than that"); else 0
 * @param note         why, when the verdict needs a word (e.g. {@code both zero}, {@code only in A})
 */
public record Cell(
        PairKey key,
        String metric,
        SideSummary a,
        SideSummary b,
        double delta,
        double relChange,
        double absGate,
        double relGate,
        boolean clearsGates,
        boolean gateOnly,
        StatTest test,
        double pWorse,
        double pBetter,
        double q,
        Verdict verdict,
        int furtherRuns,
        String note) {

    /** Cap of {@link #furtherRuns}: shown as "1000+". */
    public static final int MANY_RUNS = 1000;

    /** Whether the change is in the metric's bad direction. */
    public boolean worse() {
        return Metrics.byName(metric).polarity().isWorse(delta);
    }
}
