package dev.ktstr.runtime.checks;

import dev.ktstr.annotations.Checks;
import dev.ktstr.annotations.KtstrTest;
import dev.ktstr.annotations.Scheduler;
import dev.ktstr.annotations.Toggle;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Check thresholds (ktstr facts §8): every field is optional ({@code null} = not set here) and the
 * layers merge left to right, the last value set winning:
 * {@link #defaults()} → the scenario's own → {@code @Scheduler(checks = …)} → the {@code @KtstrTest}
 * attributes. In the annotations {@link KtstrTest#INHERIT} (-1) and {@link Toggle#INHERIT} mean "not
 * set". The worker checks read {@code notStarved}, {@code isolation}, {@code maxGapMs},
 * {@code maxSpreadPct} and the benchmark/NUMA limits; the monitor reads the rest.
 *
 * <p>Latency limits are in nanoseconds, gaps in milliseconds, spread in percent, rates per second,
 * ratios and localities as fractions (0..1), coefficients of variation as plain numbers.
 */
public record Thresholds(
        Boolean notStarved,
        Boolean isolation,
        Boolean failOnStall,
        Long maxGapMs,
        Long maxLocalDsqDepth,
        Long sustainedSamples,
        Long maxP99WakeLatencyNs,
        Double maxSpreadPct,
        Double maxThroughputCv,
        Double minWorkRate,
        Double maxWakeLatencyCv,
        Double minIterationRate,
        Double maxMigrationRatio,
        Double maxImbalanceRatio,
        Double maxFallbackRate,
        Double maxKeepLastRate,
        Double minPageLocality,
        Double maxCrossNodeMigrationRatio,
        Double maxSlowTierRatio) {

    /** Nothing set. */
    public static final Thresholds NONE = builder().build();

    public Thresholds {
        nonNegative("max_gap_ms", maxGapMs);
        nonNegative("max_local_dsq_depth", maxLocalDsqDepth);
        nonNegative("sustained_samples", sustainedSamples);
        nonNegative("max_p99_wake_latency_ns", maxP99WakeLatencyNs);
        nonNegative("max_spread_pct", maxSpreadPct);
        nonNegative("max_throughput_cv", maxThroughputCv);
        nonNegative("min_work_rate", minWorkRate);
        nonNegative("max_wake_latency_cv", maxWakeLatencyCv);
        nonNegative("min_iteration_rate", minIterationRate);
        nonNegative("max_migration_ratio", maxMigrationRatio);
        nonNegative("max_imbalance_ratio", maxImbalanceRatio);
        nonNegative("max_fallback_rate", maxFallbackRate);
        nonNegative("max_keep_last_rate", maxKeepLastRate);
        fraction("min_page_locality", minPageLocality);
        fraction("max_cross_node_migration_ratio", maxCrossNodeMigrationRatio);
        fraction("max_slow_tier_ratio", maxSlowTierRatio);
    }

    /**
     * The defaults: not starved, 15 % spread, 2000 ms gap (worker checks); stall detection on, 5
     * sustained samples, imbalance ratio 4.0, local DSQ depth 50, 200 fallbacks/s, 100 keep-lasts/s
     * (monitor). Isolation and every benchmark/NUMA check are off.
     */
    public static Thresholds defaults() {
        return builder().notStarved(true).maxSpreadPct(15.0).maxGapMs(2000).failOnStall(true).sustainedSamples(5)
                .maxImbalanceRatio(4.0).maxLocalDsqDepth(50).maxFallbackRate(200.0).maxKeepLastRate(100.0).build();
    }

    /** This layer with every field that {@code over} sets replaced by its value. */
    public Thresholds merge(Thresholds over) {
        if (over == null) {
            return this;
        }
        return new Thresholds(
                pick(notStarved, over.notStarved), pick(isolation, over.isolation), pick(failOnStall, over.failOnStall),
                pick(maxGapMs, over.maxGapMs), pick(maxLocalDsqDepth, over.maxLocalDsqDepth),
                pick(sustainedSamples, over.sustainedSamples), pick(maxP99WakeLatencyNs, over.maxP99WakeLatencyNs),
                pick(maxSpreadPct, over.maxSpreadPct), pick(maxThroughputCv, over.maxThroughputCv),
                pick(minWorkRate, over.minWorkRate), pick(maxWakeLatencyCv, over.maxWakeLatencyCv),
                pick(minIterationRate, over.minIterationRate), pick(maxMigrationRatio, over.maxMigrationRatio),
                pick(maxImbalanceRatio, over.maxImbalanceRatio), pick(maxFallbackRate, over.maxFallbackRate),
                pick(maxKeepLastRate, over.maxKeepLastRate), pick(minPageLocality, over.minPageLocality),
                pick(maxCrossNodeMigrationRatio, over.maxCrossNodeMigrationRatio),
                pick(maxSlowTierRatio, over.maxSlowTierRatio));
    }

    /** {@code defaults → scenario → scheduler → test}; any layer may be {@code null}. */
    public static Thresholds effective(Thresholds scenario, Thresholds scheduler, Thresholds test) {
        return defaults().merge(scenario).merge(scheduler).merge(test);
    }

    /** The layer a {@code @Scheduler(checks = …)} sets. */
    public static Thresholds of(Checks c) {
        return new Thresholds(toggle(c.notStarved()), toggle(c.isolation()), toggle(c.failOnStall()),
                inherit(c.maxGapMs()), inherit(c.maxLocalDsqDepth()), inherit(c.sustainedSamples()),
                inherit(c.maxP99WakeLatencyNs()), inherit(c.maxSpreadPct()), inherit(c.maxThroughputCv()),
                inherit(c.minWorkRate()), inherit(c.maxWakeLatencyCv()), inherit(c.minIterationRate()),
                inherit(c.maxMigrationRatio()), inherit(c.maxImbalanceRatio()), inherit(c.maxFallbackRate()),
                inherit(c.maxKeepLastRate()), inherit(c.minPageLocality()), inherit(c.maxCrossNodeMigrationRatio()),
                inherit(c.maxSlowTierRatio()));
    }

    /** The layer a {@code @Scheduler} sets ({@link #NONE} for {@code null}). */
    public static Thresholds of(Scheduler s) {
        return s == null ? NONE : of(s.checks());
    }

    /** The layer a {@code @KtstrTest}'s check attributes set ({@link #NONE} for {@code null}). */
    public static Thresholds of(KtstrTest t) {
        if (t == null) {
            return NONE;
        }
        return new Thresholds(toggle(t.notStarved()), toggle(t.isolation()), toggle(t.failOnStall()),
                inherit(t.maxGapMs()), inherit(t.maxLocalDsqDepth()), inherit(t.sustainedSamples()),
                inherit(t.maxP99WakeLatencyNs()), inherit(t.maxSpreadPct()), inherit(t.maxThroughputCv()),
                inherit(t.minWorkRate()), inherit(t.maxWakeLatencyCv()), inherit(t.minIterationRate()),
                inherit(t.maxMigrationRatio()), inherit(t.maxImbalanceRatio()), inherit(t.maxFallbackRate()),
                inherit(t.maxKeepLastRate()), inherit(t.minPageLocality()), inherit(t.maxCrossNodeMigrationRatio()),
                inherit(t.maxSlowTierRatio()));
    }

    /** Whether the starvation check runs ({@code notStarved} set and true). */
    public boolean checksStarvation() {
        return Boolean.TRUE.equals(notStarved);
    }

    /** Whether the isolation check runs. */
    public boolean checksIsolation() {
        return Boolean.TRUE.equals(isolation);
    }

    /** Each threshold by its ktstr name (snake_case, as {@code show-thresholds} prints it); unset = {@code null}. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Row r : ROWS) {
            m.put(r.name, r.get.apply(this));
        }
        return m;
    }

    /** One {@code  name: value} line per threshold, unset shown as {@code none}. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        int width = ROWS.stream().mapToInt(r -> r.name.length()).max().orElse(0);
        for (Row r : ROWS) {
            Object v = r.get.apply(this);
            sb.append("  ").append(r.name).append(':').append(" ".repeat(width - r.name.length() + 1))
                    .append(v == null ? "none" : String.valueOf(v)).append('\n');
        }
        return sb.toString();
    }

    private record Row(String name, Function<Thresholds, Object> get) {}

    private static final List<Row> ROWS = List.of(
            new Row("not_starved", Thresholds::notStarved),
            new Row("isolation", Thresholds::isolation),
            new Row("max_gap_ms", Thresholds::maxGapMs),
            new Row("max_spread_pct", Thresholds::maxSpreadPct),
            new Row("max_throughput_cv", Thresholds::maxThroughputCv),
            new Row("min_work_rate", Thresholds::minWorkRate),
            new Row("max_p99_wake_latency_ns", Thresholds::maxP99WakeLatencyNs),
            new Row("max_wake_latency_cv", Thresholds::maxWakeLatencyCv),
            new Row("min_iteration_rate", Thresholds::minIterationRate),
            new Row("max_migration_ratio", Thresholds::maxMigrationRatio),
            new Row("min_page_locality", Thresholds::minPageLocality),
            new Row("max_cross_node_migration_ratio", Thresholds::maxCrossNodeMigrationRatio),
            new Row("max_slow_tier_ratio", Thresholds::maxSlowTierRatio),
            new Row("fail_on_stall", Thresholds::failOnStall),
            new Row("sustained_samples", Thresholds::sustainedSamples),
            new Row("max_imbalance_ratio", Thresholds::maxImbalanceRatio),
            new Row("max_local_dsq_depth", Thresholds::maxLocalDsqDepth),
            new Row("max_fallback_rate", Thresholds::maxFallbackRate),
            new Row("max_keep_last_rate", Thresholds::maxKeepLastRate));

    /** The threshold names, in {@link #format()} order. */
    public static List<String> names() {
        return ROWS.stream().map(Row::name).toList();
    }

    private static <T> T pick(T base, T over) {
        return over != null ? over : base;
    }

    private static Boolean toggle(Toggle t) {
        return switch (t) {
            case INHERIT -> null;
            case ON -> Boolean.TRUE;
            case OFF -> Boolean.FALSE;
        };
    }

    private static Long inherit(long v) {
        return v == KtstrTest.INHERIT ? null : v;
    }

    private static Double inherit(double v) {
        return v == KtstrTest.INHERIT ? null : v;
    }

    private static void nonNegative(String name, Number v) {
        if (v != null && (v.doubleValue() < 0 || Double.isNaN(v.doubleValue()))) {
            throw new IllegalArgumentException(name + " must be >= 0 (or unset), got " + v);
        }
    }

    private static void fraction(String name, Double v) {
        if (v != null && !(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(name + " is a fraction and must be in [0, 1], got " + v);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder preloaded with this layer's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.values.putAll(asMapRaw());
        return b;
    }

    private Map<String, Object> asMapRaw() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Row r : ROWS) {
            if (r.get.apply(this) != null) {
                m.put(r.name, r.get.apply(this));
            }
        }
        return m;
    }

    /** Sets thresholds one by one; {@link #build()} gives the layer. */
    public static final class Builder {
        private final Map<String, Object> values = new LinkedHashMap<>();

        private Builder() {}

        private Builder set(String name, Object v) {
            values.put(name, v);
            return this;
        }

        public Builder notStarved(boolean v) {
            return set("not_starved", v);
        }

        public Builder isolation(boolean v) {
            return set("isolation", v);
        }

        public Builder failOnStall(boolean v) {
            return set("fail_on_stall", v);
        }

        public Builder maxGapMs(long v) {
            return set("max_gap_ms", v);
        }

        public Builder maxLocalDsqDepth(long v) {
            return set("max_local_dsq_depth", v);
        }

        public Builder sustainedSamples(long v) {
            return set("sustained_samples", v);
        }

        public Builder maxP99WakeLatencyNs(long v) {
            return set("max_p99_wake_latency_ns", v);
        }

        public Builder maxSpreadPct(double v) {
            return set("max_spread_pct", v);
        }

        public Builder maxThroughputCv(double v) {
            return set("max_throughput_cv", v);
        }

        public Builder minWorkRate(double v) {
            return set("min_work_rate", v);
        }

        public Builder maxWakeLatencyCv(double v) {
            return set("max_wake_latency_cv", v);
        }

        public Builder minIterationRate(double v) {
            return set("min_iteration_rate", v);
        }

        public Builder maxMigrationRatio(double v) {
            return set("max_migration_ratio", v);
        }

        public Builder maxImbalanceRatio(double v) {
            return set("max_imbalance_ratio", v);
        }

        public Builder maxFallbackRate(double v) {
            return set("max_fallback_rate", v);
        }

        public Builder maxKeepLastRate(double v) {
            return set("max_keep_last_rate", v);
        }

        public Builder minPageLocality(double v) {
            return set("min_page_locality", v);
        }

        public Builder maxCrossNodeMigrationRatio(double v) {
            return set("max_cross_node_migration_ratio", v);
        }

        public Builder maxSlowTierRatio(double v) {
            return set("max_slow_tier_ratio", v);
        }

        public Thresholds build() {
            return new Thresholds((Boolean) values.get("not_starved"), (Boolean) values.get("isolation"),
                    (Boolean) values.get("fail_on_stall"), (Long) values.get("max_gap_ms"),
                    (Long) values.get("max_local_dsq_depth"), (Long) values.get("sustained_samples"),
                    (Long) values.get("max_p99_wake_latency_ns"), (Double) values.get("max_spread_pct"),
                    (Double) values.get("max_throughput_cv"), (Double) values.get("min_work_rate"),
                    (Double) values.get("max_wake_latency_cv"), (Double) values.get("min_iteration_rate"),
                    (Double) values.get("max_migration_ratio"), (Double) values.get("max_imbalance_ratio"),
                    (Double) values.get("max_fallback_rate"), (Double) values.get("max_keep_last_rate"),
                    (Double) values.get("min_page_locality"), (Double) values.get("max_cross_node_migration_ratio"),
                    (Double) values.get("max_slow_tier_ratio"));
        }
    }

}
