package dev.ktstr.runtime.stats;

import dev.ktstr.runtime.result.BadResultFile;
import dev.ktstr.runtime.result.Outcome;
import dev.ktstr.runtime.result.ResultSet;
import dev.ktstr.runtime.result.RunResult;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * The dual-gate comparator with significance (ktstr facts §9 "Dual gate", extended): pairs the runs
 * of a baseline (A) and a candidate (B) by key, treats the runs of a key on one side as samples, and
 * judges every registered metric of every pair.
 *
 * <p>A cell is a <b>regression</b> when the change of the means is in the metric's bad direction, clears
 * the absolute gate and the relative gate, and — when both sides have at least two runs — the one-sided
 * test in the bad direction is significant after the Benjamini–Hochberg correction across all tested
 * cells (one family per direction). An <b>improvement</b> likewise in the good direction. A cell that
 * clears the gates but not the test is <b>inconclusive</b>, with an estimate of the further runs per
 * side that would decide it. With a single run on a side the test is skipped and the verdict comes
 * from the gates alone ({@link Cell#gateOnly()}). Runs that did not pass are reported, not used.
 *
 * <p>Differences from ktstr 0.4.9: a change from a baseline of 0 clears the relative gate (ktstr
 * counted it as 0 % and so never reported, say, stalls appearing where there were none; the absolute
 * gate still decides); and repeated runs are samples for a test rather than averaged away.
 */
public final class ResultComparator {

    private static final double EPS = 1e-9;
    private static final NormalDistribution STD_NORMAL = new NormalDistribution(null, 0, 1);
    /** Asymptotic relative efficiency of Mann-Whitney vs t under normality: 3/π. */
    private static final double MW_EFFICIENCY = 3 / Math.PI;

    private ResultComparator() {}

    /** Compares two result sets as read from disk; their bad files are carried into the outcome. */
    public static Comparison compare(ResultSet a, ResultSet b, ComparePolicy policy) {
        return compare(a.runResults(), b.runResults(), a.badFiles(), b.badFiles(), policy);
    }

    /** Compares baseline runs {@code a} with candidate runs {@code b}. */
    public static Comparison compare(List<RunResult> a, List<RunResult> b, ComparePolicy policy) {
        return compare(a, b, List.of(), List.of(), policy);
    }

    /** Compares, carrying the given bad files into the outcome's counts. */
    public static Comparison compare(List<RunResult> a, List<RunResult> b, List<BadResultFile> badA,
            List<BadResultFile> badB, ComparePolicy policy) {
        List<ComparedDimension> compared = new ArrayList<>();
        List<Dimension> dims = new ArrayList<>();
        for (Dimension d : policy.pairBy()) {
            if (policy.dropComparedDimensions() && d != Dimension.TEST) {
                Set<String> va = values(a, d);
                Set<String> vb = values(b, d);
                if (va.size() == 1 && vb.size() == 1 && !va.equals(vb)) {
                    compared.add(new ComparedDimension(d, va.iterator().next(), vb.iterator().next()));
                    continue;
                }
            }
            dims.add(d);
        }
        TreeMap<PairKey, List<RunResult>> groupsA = group(a, dims);
        TreeMap<PairKey, List<RunResult>> groupsB = group(b, dims);
        TreeSet<PairKey> keys = new TreeSet<>(groupsA.keySet());
        keys.addAll(groupsB.keySet());

        List<Cell> cells = new ArrayList<>();
        List<SkippedPair> skipped = new ArrayList<>();
        List<UnpairedGroup> unpaired = new ArrayList<>();
        List<ExcludedRun> excluded = new ArrayList<>();
        Set<String> unknown = new TreeSet<>();
        int pairs = 0;
        int excludedA = 0;
        int excludedB = 0;
        for (PairKey key : keys) {
            List<RunResult> ga = groupsA.get(key);
            List<RunResult> gb = groupsB.get(key);
            List<RunResult> pa = ga == null ? List.of() : passed(ga, "A", key, excluded);
            List<RunResult> pb = gb == null ? List.of() : passed(gb, "B", key, excluded);
            excludedA += ga == null ? 0 : ga.size() - pa.size();
            excludedB += gb == null ? 0 : gb.size() - pb.size();
            if (ga == null) {
                unpaired.add(new UnpairedGroup(key, "B", gb.size()));
                continue;
            }
            if (gb == null) {
                unpaired.add(new UnpairedGroup(key, "A", ga.size()));
                continue;
            }
            if (pa.isEmpty() || pb.isEmpty()) {
                String why = (pa.isEmpty() ? noPassed("A", ga) : "")
                        + (pa.isEmpty() && pb.isEmpty() ? "; " : "")
                        + (pb.isEmpty() ? noPassed("B", gb) : "");
                skipped.add(new SkippedPair(key, why));
                continue;
            }
            pairs++;
            collectUnknown(pa, unknown);
            collectUnknown(pb, unknown);
            for (Metric m : Metrics.ALL) {
                Cell c = preliminaryCell(key, m, pa, pb, policy);
                if (c != null) {
                    cells.add(c);
                }
            }
        }
        cells = decide(cells, policy);

        Map<Verdict, Integer> verdicts = new EnumMap<>(Verdict.class);
        for (Verdict v : Verdict.values()) {
            verdicts.put(v, 0);
        }
        int tested = 0;
        int gateOnly = 0;
        for (Cell c : cells) {
            verdicts.merge(c.verdict(), 1, Integer::sum);
            if (!Double.isNaN(c.pWorse())) {
                tested++;
            }
            if (c.gateOnly()) {
                gateOnly++;
            }
        }
        int unA = (int) unpaired.stream().filter(u -> u.side().equals("A")).count();
        Counts counts = new Counts(a.size(), b.size(), excludedA, excludedB, pairs, skipped.size(), unA,
                unpaired.size() - unA, badA.size(), badB.size(), cells.size(), tested, gateOnly, verdicts);
        return new Comparison(policy, dims, compared, counts, cells, skipped, unpaired, excluded, badA, badB,
                unknown);
    }

    // ------------------------------------------------------------------ grouping

    private static Set<String> values(List<RunResult> rows, Dimension d) {
        Set<String> s = new HashSet<>();
        for (RunResult r : rows) {
            s.add(d.valueOf(r));
            if (s.size() > 1) {
                break;
            }
        }
        return s;
    }

    private static TreeMap<PairKey, List<RunResult>> group(List<RunResult> rows, List<Dimension> dims) {
        TreeMap<PairKey, List<RunResult>> g = new TreeMap<>();
        for (RunResult r : rows) {
            g.computeIfAbsent(PairKey.of(r, dims), k -> new ArrayList<>()).add(r);
        }
        return g;
    }

    private static List<RunResult> passed(List<RunResult> rows, String side, PairKey key, List<ExcludedRun> out) {
        List<RunResult> ok = new ArrayList<>(rows.size());
        for (RunResult r : rows) {
            if (r.outcome().status() == Outcome.Status.PASSED) {
                ok.add(r);
            } else {
                out.add(new ExcludedRun(side, key, r.runId() + " r" + r.repetition(), r.outcome().status().name(),
                        firstReason(r)));
            }
        }
        return ok;
    }

    private static String firstReason(RunResult r) {
        List<Outcome.Failure> f = r.outcome().failures();
        if (f == null || f.isEmpty()) {
            return "no reason recorded";
        }
        return f.get(0).kind() + ": " + f.get(0).message();
    }

    private static String noPassed(String side, List<RunResult> rows) {
        Map<Outcome.Status, Integer> by = new EnumMap<>(Outcome.Status.class);
        rows.forEach(r -> by.merge(r.outcome().status(), 1, Integer::sum));
        return side + ": " + rows.size() + " run" + (rows.size() == 1 ? "" : "s") + ", none passed " + by
                + " (first: " + firstReason(rows.get(0)) + ")";
    }

    private static void collectUnknown(List<RunResult> rows, Set<String> unknown) {
        for (RunResult r : rows) {
            if (r.metrics() == null) {
                continue;
            }
            for (String k : r.metrics().keySet()) {
                if (Metrics.find(k).isEmpty()) {
                    unknown.add(k);
                }
            }
        }
    }

    // ------------------------------------------------------------------ cells

    private static int valuesOf(List<RunResult> rows, String metric, double[] out) {
        int n = 0;
        for (RunResult r : rows) {
            Map<String, Double> m = r.metrics();
            Double v = m == null ? null : m.get(metric);
            if (v != null && !v.isNaN() && !v.isInfinite()) {
                out[n++] = v;
            }
        }
        return n;
    }

    private static double mean(List<RunResult> rows, String metric) {
        double[] buf = new double[rows.size()];
        int n = valuesOf(rows, metric, buf);
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += buf[i];
        }
        return n == 0 ? Double.NaN : s / n;
    }

    /** The cell before the false-discovery step: gates, p-values, no final verdict for tested cells. */
    private static Cell preliminaryCell(PairKey key, Metric m, List<RunResult> pa, List<RunResult> pb,
            ComparePolicy policy) {
        double[] bufA = new double[pa.size()];
        double[] bufB = new double[pb.size()];
        int nA = valuesOf(pa, m.name(), bufA);
        int nB = valuesOf(pb, m.name(), bufB);
        if (nA == 0 && nB == 0) {
            return null; // the metric does not exist for this test (e.g. NUMA metrics on one node)
        }
        SideSummary sa = nA == 0 ? null : SideSummary.of(bufA, nA);
        SideSummary sb = nB == 0 ? null : SideSummary.of(bufB, nB);
        boolean repeated = nA >= 2 && nB >= 2;
        double absGate = policy.absGate(m, repeated);
        double relGate = policy.relGate(m, repeated);
        if (sa == null || sb == null) {
            return new Cell(key, m.name(), sa, sb, Double.NaN, Double.NaN, absGate, relGate, false, false, null,
                    Double.NaN, Double.NaN, Double.NaN, Verdict.NOT_APPLICABLE, 0, "only in " + (sa == null ? "B" : "A"));
        }
        double delta = sb.mean() - sa.mean();
        double rel = Math.abs(sa.mean()) > EPS ? delta / Math.abs(sa.mean())
                : Math.abs(delta) > EPS ? Math.copySign(Double.POSITIVE_INFINITY, delta) : 0.0;
        if (m.guard() != null) {
            double ga = mean(pa, m.guard().metric());
            double gb = mean(pb, m.guard().metric());
            if (!(ga >= m.guard().min()) || !(gb >= m.guard().min())) {
                return new Cell(key, m.name(), sa, sb, delta, rel, absGate, relGate, false, !repeated, null,
                        Double.NaN, Double.NaN, Double.NaN, Verdict.NOT_APPLICABLE, 0,
                        m.guard().metric() + " below " + fmt(m.guard().min()));
            }
        }
        boolean clears = Math.abs(delta) >= absGate && Math.abs(rel) >= relGate && Math.abs(delta) > EPS;
        if (Math.abs(sa.mean()) <= EPS && Math.abs(sb.mean()) <= EPS) {
            return new Cell(key, m.name(), sa, sb, delta, rel, absGate, relGate, false, !repeated, null,
                    Double.NaN, Double.NaN, Double.NaN, Verdict.UNCHANGED, 0, "both zero");
        }
        if (!repeated) {
            Verdict v = !clears ? Verdict.UNCHANGED
                    : m.polarity().isWorse(delta) ? Verdict.REGRESSION : Verdict.IMPROVEMENT;
            return new Cell(key, m.name(), sa, sb, delta, rel, absGate, relGate, clears, true, null, Double.NaN,
                    Double.NaN, Double.NaN, v, 0, "gate only: " + nA + " vs " + nB + " run" + (nA * nB == 1 ? "" : "s"));
        }
        StatTest test = policy.test().resolve(nA, nB);
        OneSided p = test == StatTest.MANN_WHITNEY
                ? MannWhitney.test(sa.values(), nA, sb.values(), nB)
                : WelchTest.test(sa.mean(), sa.variance(), nA, sb.mean(), sb.variance(), nB);
        return new Cell(key, m.name(), sa, sb, delta, rel, absGate, relGate, clears, false, test, p.pWorse(m.polarity()),
                p.pBetter(m.polarity()), Double.NaN, null, 0, "");
    }

    /** Applies the false-discovery correction per direction and settles the tested cells' verdicts. */
    private static List<Cell> decide(List<Cell> cells, ComparePolicy policy) {
        int n = cells.size();
        double[] pw = new double[n];
        double[] pb = new double[n];
        for (int i = 0; i < n; i++) {
            Cell c = cells.get(i);
            boolean tested = c.verdict() == null;
            pw[i] = tested ? c.pWorse() : Double.NaN;
            pb[i] = tested ? c.pBetter() : Double.NaN;
        }
        double[] qw = policy.fdr() ? BenjaminiHochberg.adjust(pw) : pw;
        double[] qb = policy.fdr() ? BenjaminiHochberg.adjust(pb) : pb;
        int family = 0;
        for (double v : pw) {
            if (!Double.isNaN(v)) {
                family++;
            }
        }
        int discWorse = BenjaminiHochberg.discoveries(qw, policy.alpha());
        int discBetter = BenjaminiHochberg.discoveries(qb, policy.alpha());
        List<Cell> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Cell c = cells.get(i);
            if (c.verdict() != null) {
                out.add(c);
                continue;
            }
            Metric m = Metrics.byName(c.metric());
            boolean worse = m.polarity().isWorse(c.delta());
            double q = worse ? qw[i] : qb[i];
            boolean significant = q <= policy.alpha();
            Verdict v;
            int further = 0;
            String note = "";
            if (!c.clearsGates()) {
                v = Verdict.UNCHANGED;
                if (significant) {
                    note = "significant but within the gates";
                }
            } else if (significant) {
                v = worse ? Verdict.REGRESSION : Verdict.IMPROVEMENT;
            } else {
                v = Verdict.INCONCLUSIVE;
                int discoveries = worse ? discWorse : discBetter;
                double threshold = policy.fdr() ? policy.alpha() * (discoveries + 1) / Math.max(1, family)
                        : policy.alpha();
                further = furtherRuns(c, policy, threshold);
                note = "not significant (q " + fmtP(q) + ")";
            }
            out.add(new Cell(c.key(), c.metric(), c.a(), c.b(), c.delta(), c.relChange(), c.absGate(), c.relGate(),
                    c.clearsGates(), false, c.test(), c.pWorse(), c.pBetter(), q, v, further, note));
        }
        return out;
    }

    /**
     * Further runs per side that would likely make the observed change significant: the normal-theory
     * sample size {@code n = 2 (z(1−α') + z(power))² σ² / δ²} for the observed effect δ and pooled σ,
     * divided by the test's efficiency (3/π for Mann-Whitney), at the level α' the cell would need
     * under Benjamini–Hochberg as the next discovery; never below the runs the exact test needs to be
     * able to reach α' at all.
     */
    static int furtherRuns(Cell c, ComparePolicy policy, double threshold) {
        double t = Math.min(0.5, Math.max(threshold, 1e-12));
        double za = STD_NORMAL.inverseCumulativeProbability(1 - t);
        double zb = STD_NORMAL.inverseCumulativeProbability(policy.power());
        double sigma2 = (c.a().variance() + c.b().variance()) / 2;
        double delta = Math.abs(c.delta());
        double need;
        if (sigma2 <= 0) {
            need = 2;
        } else {
            need = 2 * (za + zb) * (za + zb) * sigma2 / (delta * delta);
        }
        // The test the cell would get with the estimated runs (AUTO switches to Mann-Whitney at 5).
        StatTest future = policy.test().resolve((int) Math.ceil(need), (int) Math.ceil(need));
        if (future == StatTest.MANN_WHITNEY) {
            need /= MW_EFFICIENCY;
            int min = 2;
            while (MannWhitney.minimumP(min, min) > t && min < Cell.MANY_RUNS) {
                min++;
            }
            need = Math.max(need, min);
        }
        int have = Math.min(c.a().n(), c.b().n());
        double further = Math.ceil(need) - have;
        if (!(further < Cell.MANY_RUNS)) {
            return Cell.MANY_RUNS;
        }
        return (int) Math.max(1, further);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static String fmtP(double p) {
        return p < 0.001 ? String.format(java.util.Locale.ROOT, "%.1e", p)
                : String.format(java.util.Locale.ROOT, "%.3f", p);
    }
}
