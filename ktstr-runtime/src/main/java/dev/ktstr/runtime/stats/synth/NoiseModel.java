package dev.ktstr.runtime.stats.synth;

import dev.ktstr.runtime.stats.Metrics;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * A model of run-to-run noise of the §9 metrics for one test, used to calibrate the comparator
 * (A/A false-regression rate, power) and to benchmark it. <b>It is a model, not a measurement</b>;
 * real A/A pairs from VMs replace it when they exist.
 *
 * <p>The noise level is the one ktstr's own single-run gates imply. Each default relative gate of the
 * §9 table is read as two standard deviations of the relative difference between two single runs
 * (the gates exist to absorb that noise), so a metric's run-to-run coefficient of variation is
 * {@code CV = rel / (2√2)}: 8.8 % for p99 wake latency (gate 25 %), 3.5 % for total iterations
 * (gate 10 %), 17.7 % for the worst run delay (gate 50 %). Per run of one test:
 * <ul>
 *   <li>a shared host-contention factor {@code h ~ LogNormal(cv 3 %)} multiplies latencies and
 *       delays and divides throughput, so the metrics of one run are correlated as on a loaded host;
 *       the metric's own noise is reduced so that its total CV stays the implied one;</li>
 *   <li>latencies, gaps, delays, spreads, ratios and monitor counts are log-normal around the test's
 *       centre, counts rounded to integers (so rank tests see ties);</li>
 *   <li>total iterations and NUMA page locality are normal (locality at most 1);</li>
 *   <li>stalls are rare: Poisson with λ 0.05 per run;</li>
 *   <li>derived metrics follow their sources: tail ratio = p99 / median, migration ratio =
 *       migrations / iterations, worst iterations per worker = iterations / 4 workers with its own
 *       3 % scatter.</li>
 * </ul>
 * A shift multiplies a metric's centre (e.g. 1.2 for +20 % p99 latency); derived metrics follow
 * their sources, as they would in a real regression. {@link #scaledCv} gives noisier hosts.
 */
public final class NoiseModel {

    /** How one metric varies. */
    public enum Kind {
        LOGNORMAL,
        /** Log-normal, rounded to an integer. */
        LOGNORMAL_COUNT,
        NORMAL,
        POISSON
    }

    /**
     * The noise of one source metric.
     *
     * @param metric      registry name
     * @param kind        distribution family
     * @param center      typical value (mean)
     * @param cv          total coefficient of variation (ignored for Poisson)
     * @param contention  exponent of the host-contention factor: 1 latency-like, −1 throughput-like, 0 none
     */
    public record Source(String metric, Kind kind, double center, double cv, int contention) {}

    /** Host-contention CV of {@link #VM_TYPICAL}. */
    public static final double CONTENTION_CV = 0.03;

    /** The model described in the class comment. */
    public static final NoiseModel VM_TYPICAL = new NoiseModel(CONTENTION_CV, List.of(
            implied("worst_spread", Kind.LOGNORMAL, 8.0, 0),
            implied("worst_gap_ms", Kind.LOGNORMAL, 40, 1),
            implied("total_migrations", Kind.LOGNORMAL_COUNT, 400, 0),
            implied("max_imbalance_ratio", Kind.LOGNORMAL, 2.0, 0),
            implied("max_dsq_depth", Kind.LOGNORMAL_COUNT, 6, 0),
            new Source("stall_count", Kind.POISSON, 0.05, 0, 0),
            implied("total_fallback", Kind.LOGNORMAL_COUNT, 40, 0),
            implied("total_keep_last", Kind.LOGNORMAL_COUNT, 20, 0),
            implied("worst_p99_wake_latency_us", Kind.LOGNORMAL, 400, 1),
            implied("worst_median_wake_latency_us", Kind.LOGNORMAL, 60, 1),
            implied("worst_wake_latency_cv", Kind.LOGNORMAL, 0.8, 0),
            implied("total_iterations", Kind.NORMAL, 50_000, -1),
            implied("worst_mean_run_delay_us", Kind.LOGNORMAL, 150, 1),
            implied("worst_run_delay_us", Kind.LOGNORMAL, 3000, 1),
            new Source("worst_page_locality", Kind.NORMAL, 0.92, 0.02 / 0.92, 0),
            implied("worst_cross_node_migration_ratio", Kind.LOGNORMAL, 0.03, 0)));

    private static final int WORKERS = 4;

    private final double contentionCv;
    private final List<Source> sources;

    /** A model with host-contention CV {@code contentionCv} and the given sources. */
    public NoiseModel(double contentionCv, List<Source> sources) {
        this.contentionCv = contentionCv;
        this.sources = List.copyOf(sources);
    }

    /** The source metrics. */
    public List<Source> sources() {
        return sources;
    }

    /** The same model with every coefficient of variation multiplied by {@code factor}. */
    public NoiseModel scaledCv(double factor) {
        return new NoiseModel(contentionCv * factor, sources.stream()
                .map(s -> new Source(s.metric(), s.kind(), s.center(), s.cv() * factor, s.contention()))
                .toList());
    }

    /**
     * Per-test centres: each source centre times {@code exp(N(0, scatter))}, so the tests of a suite
     * differ in scale the way real tests do (0 = every test at the model's centres). Drawn once per
     * suite and shared by both sides of an A/A or A/B pair.
     */
    public Map<String, Double> testCenters(Random rng, double scatter) {
        Map<String, Double> c = new HashMap<>();
        for (Source s : sources) {
            double f = s.kind() == Kind.POISSON || s.metric().equals("worst_page_locality")
                    ? 1.0 : Math.exp(scatter * rng.nextGaussian());
            c.put(s.metric(), s.center() * f);
        }
        return c;
    }

    /**
     * One run's metrics for a test with {@code centers}, each source centre multiplied by its factor
     * in {@code shifts} (absent = 1).
     */
    public Map<String, Double> sample(Random rng, Map<String, Double> centers, Map<String, Double> shifts) {
        double h = lognormal(rng, 1.0, contentionCv);
        Map<String, Double> out = new LinkedHashMap<>();
        for (Source s : sources) {
            double center = Objects.requireNonNull(centers.get(s.metric()), s.metric())
                    * shifts.getOrDefault(s.metric(), 1.0);
            // The metric's own share of the noise, so that with contention its total CV is s.cv().
            double own = s.contention() == 0 ? s.cv()
                    : Math.sqrt(Math.max(0, s.cv() * s.cv() - contentionCv * contentionCv));
            double v = switch (s.kind()) {
                case LOGNORMAL, LOGNORMAL_COUNT -> lognormal(rng, center, own);
                case NORMAL -> center * (1 + own * rng.nextGaussian());
                case POISSON -> poisson(rng, center);
            };
            if (s.contention() != 0) {
                v *= Math.pow(h, s.contention());
            }
            if (s.kind() == Kind.LOGNORMAL_COUNT) {
                v = Math.rint(v);
            }
            if (s.metric().equals("worst_page_locality")) {
                v = Math.min(1.0, v);
            }
            out.put(s.metric(), Math.max(0, v));
        }
        double iterations = out.get("total_iterations");
        out.put("worst_iterations_per_worker", iterations / WORKERS * Math.min(1.0, lognormal(rng, 0.95, 0.03)));
        out.put("worst_migration_ratio", out.get("total_migrations") / Math.max(1, iterations)
                * lognormal(rng, 1.0, 0.05));
        out.put("worst_wake_latency_tail_ratio",
                out.get("worst_p99_wake_latency_us") / out.get("worst_median_wake_latency_us"));
        return out;
    }

    /** A source whose CV is the one its registry gate implies: {@code defaultRel / (2√2)}. */
    public static Source implied(String metric, Kind kind, double center, int contention) {
        return new Source(metric, kind, center, impliedCv(metric), contention);
    }

    /** The run-to-run CV that {@code metric}'s default relative gate implies: {@code rel / (2√2)}. */
    public static double impliedCv(String metric) {
        return Metrics.byName(metric).defaultRel() / (2 * Math.sqrt(2));
    }

    /** A log-normal value with the given mean and coefficient of variation. */
    static double lognormal(Random rng, double mean, double cv) {
        if (cv <= 0) {
            return mean;
        }
        double s2 = Math.log(1 + cv * cv);
        return mean * Math.exp(Math.sqrt(s2) * rng.nextGaussian() - s2 / 2);
    }

    /** A Poisson count (Knuth's method below λ 30, rounded normal above). */
    static double poisson(Random rng, double lambda) {
        if (lambda >= 30) {
            return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * rng.nextGaussian()));
        }
        double l = Math.exp(-lambda);
        int k = 0;
        double p = 1;
        do {
            k++;
            p *= rng.nextDouble();
        } while (p > l);
        return k - 1;
    }
}
