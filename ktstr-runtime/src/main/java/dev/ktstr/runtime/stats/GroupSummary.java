package dev.ktstr.runtime.stats;

import dev.ktstr.runtime.result.Outcome;
import dev.ktstr.runtime.result.RunResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The runs of one key within one result set, summarized: statuses, each registered metric's values
 * over the passed runs, and the outlier runs (for {@code stats show} and the report).
 *
 * @param key       the key
 * @param runs      the runs, in input order
 * @param statuses  runs per status
 * @param metrics   metric name → summary over passed runs, registry order, metrics present only
 * @param outliers  runs whose value of a metric is far from the others
 */
public record GroupSummary(PairKey key, List<RunResult> runs, Map<Outcome.Status, Integer> statuses,
        Map<String, SideSummary> metrics, List<Outlier> outliers) {

    /** Modified z-score above which a run is an outlier (Iglewicz &amp; Hoaglin 1993). */
    public static final double OUTLIER_Z = 3.5;

    /** Fewest passed runs for outlier detection to mean anything. */
    public static final int OUTLIER_MIN_RUNS = 5;

    /**
     * A run whose value is an outlier: modified z-score {@code 0.6745 (x − median) / MAD} beyond
     * {@link #OUTLIER_Z}.
     *
     * @param metric  the metric
     * @param run     the run's id and repetition
     * @param value   its value
     * @param median  the group's median
     * @param z       the modified z-score
     */
    public record Outlier(String metric, String run, double value, double median, double z) {}

    /** Groups {@code rows} by {@code dims} and summarizes each group, in key order. */
    public static List<GroupSummary> of(List<RunResult> rows, List<Dimension> dims) {
        TreeMap<PairKey, List<RunResult>> groups = new TreeMap<>();
        for (RunResult r : rows) {
            groups.computeIfAbsent(PairKey.of(r, dims), k -> new ArrayList<>()).add(r);
        }
        List<GroupSummary> out = new ArrayList<>();
        groups.forEach((k, v) -> out.add(summarize(k, v)));
        return out;
    }

    private static GroupSummary summarize(PairKey key, List<RunResult> runs) {
        Map<Outcome.Status, Integer> st = new EnumMap<>(Outcome.Status.class);
        runs.forEach(r -> st.merge(r.outcome().status(), 1, Integer::sum));
        List<RunResult> passed = runs.stream().filter(r -> r.outcome().status() == Outcome.Status.PASSED).toList();
        Map<String, SideSummary> metrics = new LinkedHashMap<>();
        List<Outlier> outliers = new ArrayList<>();
        for (Metric m : Metrics.ALL) {
            double[] v = new double[passed.size()];
            RunResult[] who = new RunResult[passed.size()];
            int n = 0;
            for (RunResult r : passed) {
                Double x = r.metrics() == null ? null : r.metrics().get(m.name());
                if (x != null && Double.isFinite(x)) {
                    who[n] = r;
                    v[n++] = x;
                }
            }
            if (n == 0) {
                continue;
            }
            SideSummary s = SideSummary.of(v, n);
            metrics.put(m.name(), s);
            if (n >= OUTLIER_MIN_RUNS) {
                double[] dev = new double[n];
                for (int i = 0; i < n; i++) {
                    dev[i] = Math.abs(v[i] - s.median());
                }
                Arrays.sort(dev);
                double mad = n % 2 == 1 ? dev[n / 2] : (dev[n / 2 - 1] + dev[n / 2]) / 2;
                if (mad > 0) {
                    for (int i = 0; i < n; i++) {
                        double z = 0.6745 * (v[i] - s.median()) / mad;
                        if (Math.abs(z) > OUTLIER_Z) {
                            outliers.add(new Outlier(m.name(), who[i].runId() + " r" + who[i].repetition(), v[i],
                                    s.median(), z));
                        }
                    }
                }
            }
        }
        return new GroupSummary(key, List.copyOf(runs), st, metrics, outliers);
    }
}
