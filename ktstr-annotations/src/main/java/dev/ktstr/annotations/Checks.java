package dev.ktstr.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Check thresholds a {@link Scheduler} sets for all of its tests. The attribute names and meanings are
 * those of {@link KtstrTest}; {@link KtstrTest#INHERIT} and {@link Toggle#INHERIT} mean "not set".
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({})
public @interface Checks {
    Toggle notStarved() default Toggle.INHERIT;

    Toggle isolation() default Toggle.INHERIT;

    Toggle failOnStall() default Toggle.INHERIT;

    long maxGapMs() default KtstrTest.INHERIT;

    long maxLocalDsqDepth() default KtstrTest.INHERIT;

    long sustainedSamples() default KtstrTest.INHERIT;

    long maxP99WakeLatencyNs() default KtstrTest.INHERIT;

    double maxSpreadPct() default KtstrTest.INHERIT;

    double maxThroughputCv() default KtstrTest.INHERIT;

    double minWorkRate() default KtstrTest.INHERIT;

    double maxWakeLatencyCv() default KtstrTest.INHERIT;

    double minIterationRate() default KtstrTest.INHERIT;

    double maxMigrationRatio() default KtstrTest.INHERIT;

    double maxImbalanceRatio() default KtstrTest.INHERIT;

    double maxFallbackRate() default KtstrTest.INHERIT;

    double maxKeepLastRate() default KtstrTest.INHERIT;

    double minPageLocality() default KtstrTest.INHERIT;

    double maxCrossNodeMigrationRatio() default KtstrTest.INHERIT;

    double maxSlowTierRatio() default KtstrTest.INHERIT;
}
