package dev.ktstr.runtime.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How the comparator decides: the gates, the significance test and level, the false-discovery
 * correction, and what results are paired by.
 *
 * <p><b>Gates.</b> The absolute gate of a metric is its registry default unless
 * {@code perMetricAbsolute} overrides it. The relative gate is, in order: the per-metric override,
 * the global override ({@code --threshold PCT}), else the registry default — used as is when a side has
 * a single run (gate-only comparison, where the gate alone must absorb run-to-run noise, which is what
 * the §9 defaults were sized for) and multiplied by {@code repeatedGateScale} (default ½) when both
 * sides have repeated runs, because then the significance test guards against noise and the gate only
 * has to say how large a change must be to matter. Explicit overrides apply unscaled in both cases.
 *
 * @param alpha                   significance level per direction (FDR level when {@code fdr})
 * @param test                    the two-sample test for repeated runs
 * @param fdr                     Benjamini–Hochberg across all tested cells (per direction)
 * @param relativeGate            global relative gate as a fraction, {@code null} for the registry's
 * @param perMetricRelative       relative gates by metric name, as fractions
 * @param perMetricAbsolute       absolute gates by metric name, in the metric's unit
 * @param repeatedGateScale       factor on default relative gates when both sides have repeated runs
 * @param pairBy                  the dimensions runs are paired by
 * @param dropComparedDimensions  drop from {@code pairBy} any dimension other than the test that is
 *                                constant within each side but differs between them (it is what is
 *                                being compared)
 * @param power                   the power the runs-needed estimate for inconclusive cells aims at
 */
public record ComparePolicy(
        double alpha,
        StatTest test,
        boolean fdr,
        Double relativeGate,
        Map<String, Double> perMetricRelative,
        Map<String, Double> perMetricAbsolute,
        double repeatedGateScale,
        List<Dimension> pairBy,
        boolean dropComparedDimensions,
        double power) {

    /** Keys a policy file may hold. */
    private static final Set<String> POLICY_KEYS = Set.of("default_percent", "per_metric_percent",
            "per_metric_absolute", "alpha", "test", "fdr", "repeated_gate_scale", "pair_by", "power");

    public ComparePolicy {
        Objects.requireNonNull(test, "test");
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("[KtstrPolicy] alpha must be in (0, 1), got " + alpha);
        }
        if (!(power > 0 && power < 1)) {
            throw new IllegalArgumentException("[KtstrPolicy] power must be in (0, 1), got " + power);
        }
        if (!(repeatedGateScale > 0 && repeatedGateScale <= 1)) {
            throw new IllegalArgumentException(
                    "[KtstrPolicy] repeated_gate_scale must be in (0, 1], got " + repeatedGateScale);
        }
        if (relativeGate != null && !(relativeGate >= 0)) {
            throw new IllegalArgumentException("[KtstrPolicy] relative gate must be >= 0, got " + relativeGate);
        }
        perMetricRelative = checkedGates(perMetricRelative, "per_metric_percent");
        perMetricAbsolute = checkedGates(perMetricAbsolute, "per_metric_absolute");
        pairBy = List.copyOf(pairBy);
        if (pairBy.isEmpty()) {
            throw new IllegalArgumentException("[KtstrPolicy] pair_by needs at least one dimension");
        }
    }

    /** α 0.05, auto test, Benjamini–Hochberg, registry gates (halved for repeated runs), default pairing. */
    public static ComparePolicy defaults() {
        return new ComparePolicy(0.05, StatTest.AUTO, true, null, Map.of(), Map.of(), 0.5,
                Dimension.DEFAULT_PAIRING, true, 0.8);
    }

    /** The absolute gate for {@code m}, in its unit; {@code repeated} when both sides have ≥ 2 runs. */
    public double absGate(Metric m, boolean repeated) {
        Double per = perMetricAbsolute.get(m.name());
        if (per != null) {
            return per;
        }
        return repeated ? m.defaultAbs() * repeatedGateScale : m.defaultAbs();
    }

    /** The relative gate for {@code m}, as a fraction; {@code repeated} when both sides have ≥ 2 runs. */
    public double relGate(Metric m, boolean repeated) {
        Double per = perMetricRelative.get(m.name());
        if (per != null) {
            return per;
        }
        if (relativeGate != null) {
            return relativeGate;
        }
        return repeated ? m.defaultRel() * repeatedGateScale : m.defaultRel();
    }

    /** With the global relative gate set to {@code percent} % ({@code --threshold}). */
    public ComparePolicy withThresholdPercent(double percent) {
        return new ComparePolicy(alpha, test, fdr, percent / 100.0, perMetricRelative, perMetricAbsolute,
                repeatedGateScale, pairBy, dropComparedDimensions, power);
    }

    /** With significance level {@code a}. */
    public ComparePolicy withAlpha(double a) {
        return new ComparePolicy(a, test, fdr, relativeGate, perMetricRelative, perMetricAbsolute,
                repeatedGateScale, pairBy, dropComparedDimensions, power);
    }

    /** With test {@code t}. */
    public ComparePolicy withTest(StatTest t) {
        return new ComparePolicy(alpha, t, fdr, relativeGate, perMetricRelative, perMetricAbsolute,
                repeatedGateScale, pairBy, dropComparedDimensions, power);
    }

    /** With or without the false-discovery correction. */
    public ComparePolicy withFdr(boolean on) {
        return new ComparePolicy(alpha, test, on, relativeGate, perMetricRelative, perMetricAbsolute,
                repeatedGateScale, pairBy, dropComparedDimensions, power);
    }

    /** Pairing by exactly {@code dims}; {@code dropCompared} as in the record comment. */
    public ComparePolicy withPairBy(List<Dimension> dims, boolean dropCompared) {
        return new ComparePolicy(alpha, test, fdr, relativeGate, perMetricRelative, perMetricAbsolute,
                repeatedGateScale, dims, dropCompared, power);
    }

    /** With the relative gate of {@code metric} set to {@code fraction}. */
    public ComparePolicy withMetricRelative(String metric, double fraction) {
        Map<String, Double> m = new LinkedHashMap<>(perMetricRelative);
        m.put(metric, fraction);
        return new ComparePolicy(alpha, test, fdr, relativeGate, m, perMetricAbsolute, repeatedGateScale,
                pairBy, dropComparedDimensions, power);
    }

    /**
     * This policy with a policy file applied. Format (every key optional; percentages in percent,
     * absolute gates in the metric's unit):
     *
     * <pre>{@code
     * { "default_percent": 10,
     *   "per_metric_percent": { "worst_p99_wake_latency_us": 15 },
     *   "per_metric_absolute": { "worst_gap_ms": 200 },
     *   "alpha": 0.05, "test": "auto", "fdr": true,
     *   "repeated_gate_scale": 0.5, "power": 0.8,
     *   "pair_by": ["test", "topology", "scheduler", "flags", "work_type", "kernel", "engine"] }
     * }</pre>
     *
     * Unknown keys and unknown metric names are errors, so a typo never silently leaves a default in
     * force.
     */
    public ComparePolicy withPolicyFile(Path file, ObjectMapper mapper) throws IOException {
        JsonNode root;
        try {
            root = mapper.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IOException("[KtstrPolicy] cannot read policy " + file + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("[KtstrPolicy] " + file + ": expected a JSON object");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!POLICY_KEYS.contains(k)) {
                throw new IllegalArgumentException("[KtstrPolicy] " + file + ": unknown key '" + k + "'; known: "
                        + POLICY_KEYS.stream().sorted().toList());
            }
        }
        ComparePolicy p = this;
        if (root.has("default_percent")) {
            p = p.withThresholdPercent(number(root, "default_percent", file));
        }
        Map<String, Double> rel = new LinkedHashMap<>(p.perMetricRelative);
        for (Map.Entry<String, Double> e : metricMap(root, "per_metric_percent", file).entrySet()) {
            rel.put(e.getKey(), e.getValue() / 100.0);
        }
        Map<String, Double> abs = new LinkedHashMap<>(p.perMetricAbsolute);
        abs.putAll(metricMap(root, "per_metric_absolute", file));
        double a = root.has("alpha") ? number(root, "alpha", file) : p.alpha;
        StatTest t = root.has("test") ? StatTest.parse(root.get("test").asText()) : p.test;
        boolean f = root.has("fdr") ? bool(root, "fdr", file) : p.fdr;
        double scale = root.has("repeated_gate_scale") ? number(root, "repeated_gate_scale", file)
                : p.repeatedGateScale;
        double pw = root.has("power") ? number(root, "power", file) : p.power;
        List<Dimension> dims = p.pairBy;
        if (root.has("pair_by")) {
            JsonNode arr = root.get("pair_by");
            if (!arr.isArray()) {
                throw new IllegalArgumentException("[KtstrPolicy] " + file + ": pair_by must be an array");
            }
            List<Dimension> d = new ArrayList<>();
            arr.forEach(n -> d.add(Dimension.parse(n.asText())));
            dims = d;
        }
        return new ComparePolicy(a, t, f, p.relativeGate, rel, abs, scale, dims, p.dropComparedDimensions, pw);
    }

    private static Map<String, Double> checkedGates(Map<String, Double> gates, String what) {
        Map<String, Double> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : gates.entrySet()) {
            Metrics.byName(e.getKey());
            if (e.getValue() == null || !(e.getValue() >= 0)) {
                throw new IllegalArgumentException(
                        "[KtstrPolicy] " + what + "." + e.getKey() + " must be >= 0, got " + e.getValue());
            }
            copy.put(e.getKey(), e.getValue());
        }
        return Map.copyOf(copy);
    }

    private static double number(JsonNode root, String key, Path file) {
        JsonNode n = root.get(key);
        if (!n.isNumber()) {
            throw new IllegalArgumentException("[KtstrPolicy] " + file + ": " + key + " must be a number, got " + n);
        }
        return n.asDouble();
    }

    private static boolean bool(JsonNode root, String key, Path file) {
        JsonNode n = root.get(key);
        if (!n.isBoolean()) {
            throw new IllegalArgumentException("[KtstrPolicy] " + file + ": " + key + " must be true/false, got " + n);
        }
        return n.asBoolean();
    }

    private static Map<String, Double> metricMap(JsonNode root, String key, Path file) {
        Map<String, Double> out = new LinkedHashMap<>();
        JsonNode obj = root.get(key);
        if (obj == null) {
            return out;
        }
        if (!obj.isObject()) {
            throw new IllegalArgumentException("[KtstrPolicy] " + file + ": " + key + " must be an object");
        }
        for (Map.Entry<String, JsonNode> e : obj.properties()) {
            if (Metrics.find(e.getKey()).isEmpty()) {
                throw new IllegalArgumentException("[KtstrPolicy] " + file + ": " + key + " names unknown metric '"
                        + e.getKey() + "'");
            }
            if (!e.getValue().isNumber()) {
                throw new IllegalArgumentException("[KtstrPolicy] " + file + ": " + key + "." + e.getKey()
                        + " must be a number, got " + e.getValue());
            }
            out.put(e.getKey(), e.getValue().asDouble());
        }
        return out;
    }
}
