package dev.ktstr.runtime.stats;

import java.util.Objects;

/**
 * One scenario-level metric that result files carry under {@code RunResult.metrics} and the
 * comparator judges (ktstr facts §9, registry {@code METRICS}).
 *
 * <p>The two default gates are the §9 table's: a change is worth reporting only if its absolute size
 * is at least {@code defaultAbs} (in {@link #unit}) and its size relative to the baseline is at least
 * {@code defaultRel}. {@link ComparePolicy} decides how they apply to single and repeated runs.
 *
 * @param name         registry key, e.g. {@code worst_p99_wake_latency_us}
 * @param polarity     which direction is better
 * @param unit         unit of the value ({@code us}, {@code ms}, {@code pct}, {@code ratio}, {@code count})
 * @param defaultAbs   default absolute gate, in {@code unit}
 * @param defaultRel   default relative gate as a fraction (0.25 = 25 %)
 * @param description  one line for humans
 * @param guard        when the metric is meaningful at all; {@code null} when always
 */
public record Metric(
        String name, Polarity polarity, String unit, double defaultAbs, double defaultRel, String description,
        Guard guard) {

    public Metric {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(polarity, "polarity");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(description, "description");
        if (!(defaultAbs >= 0) || !(defaultRel >= 0)) {
            throw new IllegalArgumentException("gates of " + name + " must be >= 0");
        }
    }

    /**
     * A precondition on another metric of the same runs: the metric is compared only when the mean of
     * {@code metric} on both sides is at least {@code min} (e.g. a tail ratio of fewer than 100
     * iterations is noise).
     */
    public record Guard(String metric, double min) {}
}
