package dev.ktstr.processor.validate;

/**
 * Validates check thresholds, the attributes {@code @KtstrTest} and {@code @Checks} share (ktstr facts
 * §6.1, "Checks"): each is unset ({@code -1}) or a sensible number for what it measures.
 */
final class ChecksValidator {

    private static final String[] POSITIVE_LONGS = {"maxGapMs", "maxLocalDsqDepth", "sustainedSamples", "maxP99WakeLatencyNs"};
    private static final String[] POSITIVE_DOUBLES = {
        "maxThroughputCv", "maxWakeLatencyCv", "maxMigrationRatio", "maxFallbackRate", "maxKeepLastRate"
    };
    private static final String[] NON_NEGATIVE_DOUBLES = {"minWorkRate", "minIterationRate"};
    private static final String[] FRACTIONS = {"minPageLocality", "maxCrossNodeMigrationRatio", "maxSlowTierRatio"};

    private ChecksValidator() {}

    static void validate(Diagnostics d, AnnotationView a) {
        for (String attr : POSITIVE_LONGS) {
            Bounds.positiveOrInherit(d, a, attr);
        }
        for (String attr : POSITIVE_DOUBLES) {
            check(d, a, attr, "positive", v -> v > 0);
        }
        for (String attr : NON_NEGATIVE_DOUBLES) {
            check(d, a, attr, "zero or more", v -> v >= 0);
        }
        for (String attr : FRACTIONS) {
            check(d, a, attr, "a fraction between 0 and 1", v -> v >= 0 && v <= 1);
        }
        check(d, a, "maxSpreadPct", "a percentage above 0 and at most 100", v -> v > 0 && v <= 100);
        check(d, a, "maxImbalanceRatio", "a ratio of at least 1 (max/min runqueue length)", v -> v >= 1);
    }

    private interface Rule {
        boolean accepts(double v);
    }

    private static void check(Diagnostics d, AnnotationView a, String attr, String what, Rule rule) {
        double v = a.doubleValue(attr);
        if (v == Bounds.INHERIT) {
            return;
        }
        if (Double.isNaN(v) || Double.isInfinite(v) || !rule.accepts(v)) {
            d.error(Message.BAD_THRESHOLD, a, attr, attr, what, v);
        }
    }
}
