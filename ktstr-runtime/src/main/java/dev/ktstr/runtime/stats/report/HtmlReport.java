package dev.ktstr.runtime.stats.report;

import dev.ktstr.runtime.result.BadResultFile;
import dev.ktstr.runtime.result.MonitorSummary;
import dev.ktstr.runtime.result.Outcome;
import dev.ktstr.runtime.result.RunResult;
import dev.ktstr.runtime.result.StimulusEvent;
import dev.ktstr.runtime.stats.Cell;
import dev.ktstr.runtime.stats.Comparison;
import dev.ktstr.runtime.stats.ComparisonText;
import dev.ktstr.runtime.stats.Counts;
import dev.ktstr.runtime.stats.Dimension;
import dev.ktstr.runtime.stats.Fmt;
import dev.ktstr.runtime.stats.GroupSummary;
import dev.ktstr.runtime.stats.KeyLabels;
import dev.ktstr.runtime.stats.Metric;
import dev.ktstr.runtime.stats.Metrics;
import dev.ktstr.runtime.stats.PairKey;
import dev.ktstr.runtime.stats.Polarity;
import dev.ktstr.runtime.stats.SideSummary;
import dev.ktstr.runtime.stats.Verdict;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Renders the HTML report: a summary, the verdict table, one comparison chart per metric (a forest
 * plot of each test's relative change with the baseline's and candidate's 95 % intervals and the
 * gate band; without a baseline, each test's per-run values), and per-test timelines (scenario steps
 * and operations on the time axis, the iteration rate, the monitor's phases). The page is one file
 * with no external resources.
 */
public final class HtmlReport {

    /** Most tests drawn in one metric chart (largest changes first). */
    static final int MAX_FOREST_ROWS = 40;
    /** Most timelines drawn. */
    static final int MAX_TIMELINES = 24;
    /** Most unchanged cells listed in the table. */
    static final int MAX_UNCHANGED_ROWS = 2000;

    private static final int W = 820;

    /**
     * What to render.
     *
     * @param candidateLabel  where the candidate (or the only run) came from
     * @param candidate       its runs
     * @param badCandidate    its unreadable files
     * @param baselineLabel   where the baseline came from, {@code null} without one
     * @param baseline        its runs (empty without one)
     * @param badBaseline     its unreadable files
     * @param comparison      the comparison, {@code null} without a baseline
     */
    public record Input(String candidateLabel, List<RunResult> candidate, List<BadResultFile> badCandidate,
            String baselineLabel, List<RunResult> baseline, List<BadResultFile> badBaseline, Comparison comparison) {

        public Input {
            Objects.requireNonNull(candidateLabel, "candidateLabel");
            candidate = List.copyOf(candidate);
            badCandidate = List.copyOf(badCandidate);
            baseline = List.copyOf(baseline);
            badBaseline = List.copyOf(badBaseline);
        }
    }

    private HtmlReport() {}

    /** The complete page. */
    public static String render(Input in) {
        Svg h = new Svg();
        h.raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .raw("<title>ktstr report</title><style>").raw(CSS).raw("</style></head><body>\n");
        KeyLabels labels = in.comparison() != null ? ComparisonText.labels(in.comparison())
                : KeyLabels.of(GroupSummary.of(in.candidate(), Dimension.DEFAULT_PAIRING).stream()
                        .map(GroupSummary::key).toList());
        header(h, in, labels);
        if (in.comparison() != null) {
            verdictTable(h, in.comparison(), labels);
            forests(h, in.comparison(), labels);
        } else {
            distributions(h, in.candidate(), labels);
        }
        timelines(h, in, labels);
        problems(h, in);
        h.raw("<footer>ktstr for Java &middot; self-contained report: no network, no external resources</footer>\n");
        h.raw("<script>").raw(JS).raw("</script>\n</body></html>\n");
        return h.toString();
    }

    // ------------------------------------------------------------------ header

    private static void header(Svg h, Input in, KeyLabels labels) {
        h.raw("<header><h1>ktstr report</h1><div class=\"sources\">");
        if (in.baselineLabel() != null) {
            h.raw("<div><span class=\"tag base\">A baseline</span> ").text(in.baselineLabel()).raw("</div>");
            h.raw("<div><span class=\"tag cand\">B candidate</span> ").text(in.candidateLabel()).raw("</div>");
        } else {
            h.raw("<div><span class=\"tag cand\">run</span> ").text(in.candidateLabel()).raw("</div>");
        }
        if (!labels.commonText().isEmpty()) {
            h.raw("<div class=\"common\">common to all tests: ");
            labels.common().forEach((d, v) -> h.raw("<span class=\"chip\"><b>").text(d.label()).raw("</b> ")
                    .text(v).raw("</span>"));
            h.raw("</div>");
        }
        h.raw("</div></header>\n<section class=\"cards\">");
        Comparison c = in.comparison();
        if (c != null) {
            Counts n = c.counts();
            card(h, "regression", n.count(Verdict.REGRESSION), "regressions");
            card(h, "improvement", n.count(Verdict.IMPROVEMENT), "improvements");
            card(h, "inconclusive", n.count(Verdict.INCONCLUSIVE), "inconclusive");
            card(h, "unchanged", n.count(Verdict.UNCHANGED), "unchanged");
            h.raw("<div class=\"card info\"><div class=\"big\">").raw(Integer.toString(n.pairsCompared()))
                    .raw("</div><div>pairs compared</div><div class=\"small\">").raw(Integer.toString(n.pairsSkipped()))
                    .raw(" skipped &middot; ").raw(Integer.toString(n.unpairedA())).raw(" only in A &middot; ")
                    .raw(Integer.toString(n.unpairedB())).raw(" only in B</div></div>");
        } else {
            long passed = in.candidate().stream().filter(r -> r.outcome().status() == Outcome.Status.PASSED).count();
            card(h, "unchanged", in.candidate().size(), "results");
            card(h, "improvement", (int) passed, "passed");
            int notPassed = in.candidate().size() - (int) passed;
            card(h, notPassed > 0 ? "regression" : "unchanged", notPassed, "not passed");
        }
        int bad = in.badCandidate().size() + in.badBaseline().size();
        card(h, bad > 0 ? "regression" : "unchanged", bad, "unreadable files");
        h.raw("</section>\n");
        if (c != null) {
            h.raw("<p class=\"rule\">");
            for (var d : c.compared()) {
                h.raw("<b>comparing ").text(d.dimension().label()).raw(":</b> ").text(d.a()).raw(" &rarr; ")
                        .text(d.b()).raw(" &middot; ");
            }
            h.text(ComparisonText.rule(c)).raw("</p>\n<p class=\"rule\">").text(ComparisonText.summary(c))
                    .raw("</p>\n");
        }
    }

    private static void card(Svg h, String cls, int count, String label) {
        h.raw("<div class=\"card ").raw(cls).raw("\"><div class=\"big\">").raw(Integer.toString(count))
                .raw("</div><div>").text(label).raw("</div></div>");
    }

    // ------------------------------------------------------------------ verdict table

    private static void verdictTable(Svg h, Comparison c, KeyLabels labels) {
        h.raw("<section id=\"verdict-table\"><h2>Verdicts</h2><div class=\"filters\" id=\"filters\">")
                .raw("<button data-f=\"changed\" class=\"on\">changed</button>")
                .raw("<button data-f=\"regression\">regressions</button>")
                .raw("<button data-f=\"improvement\">improvements</button>")
                .raw("<button data-f=\"inconclusive\">inconclusive</button>")
                .raw("<button data-f=\"all\">all</button>")
                .raw("<input id=\"search\" type=\"search\" placeholder=\"filter by test or metric\"></div>\n")
                .raw("<table id=\"verdicts\"><thead><tr><th>verdict</th><th>test</th><th>metric</th>")
                .raw("<th class=\"num\">A baseline</th><th class=\"num\">B candidate</th><th class=\"num\">change</th>")
                .raw("<th class=\"num\">q</th><th>note</th></tr></thead><tbody>\n");
        List<Cell> cells = new ArrayList<>(c.cells());
        cells.sort(Comparator.comparingInt((Cell x) -> rank(x.verdict()))
                .thenComparing(x -> -Math.abs(finite(x.relChange()))));
        int unchanged = 0;
        int omitted = 0;
        for (Cell x : cells) {
            if (x.verdict() == Verdict.UNCHANGED || x.verdict() == Verdict.NOT_APPLICABLE) {
                if (unchanged++ >= MAX_UNCHANGED_ROWS) {
                    omitted++;
                    continue;
                }
            }
            String v = x.verdict().label();
            h.raw("<tr class=\"v-").raw(v).raw("\"><td><span class=\"badge ").raw(v).raw("\">").raw(v)
                    .raw(x.gateOnly() && x.verdict() != Verdict.UNCHANGED ? " (gate only)" : "")
                    .raw("</span></td><td title=\"").text(x.key().display()).raw("\">").text(labels.label(x.key()))
                    .raw("</td><td>")
                    .text(x.metric()).raw("</td><td class=\"num\">").text(Fmt.side(x.a()))
                    .raw("</td><td class=\"num\">").text(Fmt.side(x.b())).raw("</td><td class=\"num ")
                    .raw(x.verdict() == Verdict.REGRESSION ? "bad" : x.verdict() == Verdict.IMPROVEMENT ? "good" : "")
                    .raw("\">").text(Fmt.pct(x.relChange())).raw("</td><td class=\"num\">")
                    .text(x.gateOnly() ? "-" : Fmt.p(x.q())).raw("</td><td>").text(note(x)).raw("</td></tr>\n");
        }
        h.raw("</tbody></table><p id=\"empty-note\" class=\"note\" hidden>No cells in this view.</p>");
        if (omitted > 0) {
            h.raw("<p class=\"note\">").raw(Integer.toString(omitted))
                    .raw(" further unchanged cells are not listed (the JSON output of <code>compare</code> has them all).</p>");
        }
        h.raw("</section>\n");
    }

    private static String note(Cell x) {
        if (x.verdict() == Verdict.INCONCLUSIVE) {
            return "~" + (x.furtherRuns() >= Cell.MANY_RUNS ? Cell.MANY_RUNS + "+" : x.furtherRuns())
                    + " more runs per side would decide it";
        }
        return x.note();
    }

    private static int rank(Verdict v) {
        return switch (v) {
            case REGRESSION -> 0;
            case IMPROVEMENT -> 1;
            case INCONCLUSIVE -> 2;
            case UNCHANGED -> 3;
            case NOT_APPLICABLE -> 4;
        };
    }

    private static double finite(double v) {
        return Double.isFinite(v) ? v : Double.MAX_VALUE;
    }

    // ------------------------------------------------------------------ forest plots

    private static void forests(Svg h, Comparison c, KeyLabels labels) {
        Map<String, List<Cell>> byMetric = new LinkedHashMap<>();
        for (Metric m : Metrics.ALL) {
            List<Cell> cells = c.cells().stream().filter(x -> x.metric().equals(m.name()))
                    .filter(x -> x.a() != null && x.b() != null).toList();
            if (!cells.isEmpty()) {
                byMetric.put(m.name(), cells);
            }
        }
        h.raw("<section id=\"metrics\"><h2>Metrics: candidate vs baseline</h2><p class=\"note\">Each row is one test: the grey bar is ")
                .raw("the baseline's 95&nbsp;% interval around its mean (0&nbsp;%), the dot and whisker the candidate's ")
                .raw("mean and interval, as change relative to the baseline mean. The pale band is the relative gate; ")
                .raw("the red side is worse. Hollow dots: a single run on a side (gate only).</p><div class=\"grid\">\n");
        byMetric.entrySet().stream()
                .sorted(Comparator.comparingInt((Map.Entry<String, List<Cell>> e) -> -score(e.getValue())))
                .forEach(e -> forest(h, Metrics.byName(e.getKey()), e.getValue(), labels));
        h.raw("</div></section>\n");
    }

    private static int score(List<Cell> cells) {
        int s = 0;
        for (Cell x : cells) {
            s += switch (x.verdict()) {
                case REGRESSION -> 1000;
                case IMPROVEMENT -> 100;
                case INCONCLUSIVE -> 10;
                default -> 0;
            };
        }
        return s;
    }

    private static void forest(Svg h, Metric m, List<Cell> all, KeyLabels labels) {
        List<Cell> cells = new ArrayList<>(all);
        cells.sort(Comparator.comparingInt((Cell x) -> rank(x.verdict()))
                .thenComparing(x -> -Math.abs(finite(x.relChange()))));
        int omitted = Math.max(0, cells.size() - MAX_FOREST_ROWS);
        if (omitted > 0) {
            cells = cells.subList(0, MAX_FOREST_ROWS);
        }
        double gate = cells.stream().mapToDouble(Cell::relGate).max().orElse(0.1);
        double span = Math.max(gate * 1.6, 0.05);
        for (Cell x : cells) {
            double base = Math.abs(x.a().mean());
            if (base <= 0 || !Double.isFinite(x.relChange())) {
                continue;
            }
            double ci = Double.isFinite(x.b().ci95()) ? x.b().ci95() / base : 0;
            span = Math.max(span, Math.abs(x.relChange()) + ci);
        }
        span = Math.min(niceCeil(span * 1.08), 2.0);
        int rowH = 20;
        int top = 34;
        int left = 250;
        int right = 70;
        int plotW = W - left - right;
        int height = top + rows(cells) * rowH + 30;
        double x0 = left + plotW / 2.0;
        double scale = plotW / (2 * span);
        boolean lowerBetter = m.polarity() == Polarity.LOWER_IS_BETTER;
        h.raw("<figure class=\"chart\"><svg class=\"forest\" data-metric=\"").text(m.name())
                .raw("\" viewBox=\"0 0 ").raw(Integer.toString(W)).raw(" ").raw(Integer.toString(height))
                .raw("\" role=\"img\" aria-label=\"").text(m.name()).raw(" change per test\">");
        h.raw("<text class=\"title\" x=\"8\" y=\"18\">").text(m.name()).raw("</text>");
        h.raw("<text class=\"sub\" x=\"").raw(Integer.toString(W - 8)).raw("\" y=\"18\" text-anchor=\"end\">")
                .text(m.polarity().label() + " is better · " + m.unit()).raw("</text>");
        double plotTop = top - 6;
        double plotBottom = height - 24;
        double gx1 = x0 - Math.min(gate, span) * scale;
        double gx2 = x0 + Math.min(gate, span) * scale;
        // Worse and better halves beyond the gate, then the gate band itself.
        rect(h, lowerBetter ? gx2 : left, plotTop, lowerBetter ? left + plotW - gx2 : gx1 - left, plotBottom - plotTop,
                "zone-bad");
        rect(h, lowerBetter ? left : gx2, plotTop, lowerBetter ? gx1 - left : left + plotW - gx2, plotBottom - plotTop,
                "zone-good");
        rect(h, gx1, plotTop, gx2 - gx1, plotBottom - plotTop, "zone-gate");
        for (double t : ticks(span)) {
            double x = x0 + t * scale;
            h.raw("<line class=\"grid\" x1=\"").raw(Svg.n(x)).raw("\" x2=\"").raw(Svg.n(x)).raw("\" y1=\"")
                    .raw(Svg.n(plotTop)).raw("\" y2=\"").raw(Svg.n(plotBottom)).raw("\"/>");
            h.raw("<text class=\"axis\" x=\"").raw(Svg.n(x)).raw("\" y=\"").raw(Svg.n(plotBottom + 14))
                    .raw("\" text-anchor=\"middle\">").text(Fmt.pct(t).replace(".0%", "%")).raw("</text>");
        }
        h.raw("<line class=\"zero\" x1=\"").raw(Svg.n(x0)).raw("\" x2=\"").raw(Svg.n(x0)).raw("\" y1=\"")
                .raw(Svg.n(plotTop)).raw("\" y2=\"").raw(Svg.n(plotBottom)).raw("\"/>");
        int row = 0;
        for (Cell x : cells) {
            double y = top + row * rowH + rowH / 2.0;
            row++;
            String v = x.verdict().label();
            h.raw("<g class=\"row ").raw(v).raw("\"><title>").text(x.key().display() + "\n"
                    + "A " + Fmt.side(x.a()) + "\nB " + Fmt.side(x.b()) + "\nchange " + Fmt.pct(x.relChange())
                    + (x.gateOnly() ? "  (gate only)" : "  q " + Fmt.p(x.q())) + "\n" + v).raw("</title>");
            h.raw("<text class=\"label\" x=\"").raw(Integer.toString(left - 8)).raw("\" y=\"").raw(Svg.n(y + 4))
                    .raw("\" text-anchor=\"end\">").text(clip(labels.label(x.key()), 38)).raw("</text>");
            double base = Math.abs(x.a().mean());
            if (base > 0 && Double.isFinite(x.a().ci95())) {
                double w = Math.min(x.a().ci95() / base, span) * scale;
                rect(h, x0 - w, y - 4, 2 * w, 8, "base-ci");
            }
            double rel = x.relChange();
            if (base > 0 && Double.isFinite(rel)) {
                double cx = x0 + clamp(rel, span) * scale;
                if (Double.isFinite(x.b().ci95())) {
                    double lo = x0 + clamp(rel - x.b().ci95() / base, span) * scale;
                    double hi = x0 + clamp(rel + x.b().ci95() / base, span) * scale;
                    h.raw("<line class=\"whisker ").raw(v).raw("\" x1=\"").raw(Svg.n(lo)).raw("\" x2=\"")
                            .raw(Svg.n(hi)).raw("\" y1=\"").raw(Svg.n(y)).raw("\" y2=\"").raw(Svg.n(y)).raw("\"/>");
                }
                h.raw("<circle class=\"dot ").raw(v).raw(x.gateOnly() ? " hollow" : "").raw("\" cx=\"")
                        .raw(Svg.n(cx)).raw("\" cy=\"").raw(Svg.n(y)).raw("\" r=\"4.5\"/>");
            }
            h.raw("<text class=\"val ").raw(v).raw("\" x=\"").raw(Integer.toString(W - 8)).raw("\" y=\"")
                    .raw(Svg.n(y + 4)).raw("\" text-anchor=\"end\">").text(Fmt.pct(rel)).raw("</text></g>");
        }
        h.raw("</svg>");
        if (omitted > 0) {
            h.raw("<figcaption>").raw(Integer.toString(omitted)).raw(" further tests with smaller changes not drawn</figcaption>");
        }
        h.raw("</figure>\n");
    }

    private static int rows(List<?> l) {
        return Math.max(1, l.size());
    }

    private static double clamp(double v, double span) {
        return Math.max(-span, Math.min(span, v));
    }

    private static void rect(Svg h, double x, double y, double w, double ht, String cls) {
        if (w <= 0 || ht <= 0) {
            return;
        }
        h.raw("<rect class=\"").raw(cls).raw("\" x=\"").raw(Svg.n(x)).raw("\" y=\"").raw(Svg.n(y)).raw("\" width=\"")
                .raw(Svg.n(w)).raw("\" height=\"").raw(Svg.n(ht)).raw("\"/>");
    }

    /** The smallest "round" number ≥ v, for axis maxima (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k). */
    static double niceCeil(double v) {
        return nice(v, new double[] {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10});
    }

    /** The smallest 1-2-2.5-5 × 10^k ≥ v, for tick steps. */
    static double niceStep(double v) {
        return nice(v, new double[] {1, 2, 2.5, 5, 10});
    }

    private static double nice(double v, double[] mantissas) {
        if (!(v > 0)) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : mantissas) {
            if (m * p >= v * (1 - 1e-12)) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static List<Double> ticks(double span) {
        double step = niceStep(span / 2.5);
        List<Double> t = new ArrayList<>();
        for (double v = -Math.floor(span / step) * step; v <= span + 1e-12; v += step) {
            if (Math.abs(v) > 1e-12) {
                t.add(v);
            }
        }
        return t;
    }

    private static String clip(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }

    // ------------------------------------------------------------------ single-run distributions

    private static void distributions(Svg h, List<RunResult> runs, KeyLabels labels) {
        List<GroupSummary> groups = GroupSummary.of(runs, Dimension.DEFAULT_PAIRING);
        h.raw("<section id=\"metrics\"><h2>Metrics per test</h2><p class=\"note\">Each dot is one run (repetition); the bar is the ")
                .raw("mean with its 95&nbsp;% interval, on a scale from 0 to the largest value.</p><div class=\"grid\">\n");
        for (Metric m : Metrics.ALL) {
            List<GroupSummary> with = groups.stream().filter(g -> g.metrics().containsKey(m.name())).toList();
            if (with.isEmpty()) {
                continue;
            }
            if (with.size() > MAX_FOREST_ROWS) {
                with = with.subList(0, MAX_FOREST_ROWS);
            }
            double max = with.stream().mapToDouble(g -> g.metrics().get(m.name()).max()).max().orElse(1);
            max = niceCeil(max <= 0 ? 1 : max * 1.05);
            int rowH = 20;
            int top = 34;
            int left = 250;
            int plotW = W - left - 70;
            int height = top + with.size() * rowH + 30;
            h.raw("<figure class=\"chart\"><svg class=\"dist\" data-metric=\"").text(m.name()).raw("\" viewBox=\"0 0 ")
                    .raw(Integer.toString(W)).raw(" ").raw(Integer.toString(height)).raw("\" role=\"img\">");
            h.raw("<text class=\"title\" x=\"8\" y=\"18\">").text(m.name()).raw("</text><text class=\"sub\" x=\"")
                    .raw(Integer.toString(W - 8)).raw("\" y=\"18\" text-anchor=\"end\">")
                    .text(m.polarity().label() + " is better · " + m.unit()).raw("</text>");
            for (int i = 0; i <= 4; i++) {
                double x = left + plotW * i / 4.0;
                h.raw("<line class=\"grid\" x1=\"").raw(Svg.n(x)).raw("\" x2=\"").raw(Svg.n(x)).raw("\" y1=\"")
                        .raw(Integer.toString(top - 6)).raw("\" y2=\"").raw(Integer.toString(height - 24)).raw("\"/>")
                        .raw("<text class=\"axis\" x=\"").raw(Svg.n(x)).raw("\" y=\"").raw(Integer.toString(height - 10))
                        .raw("\" text-anchor=\"middle\">").text(Fmt.num(max * i / 4)).raw("</text>");
            }
            int row = 0;
            for (GroupSummary g : with) {
                SideSummary s = g.metrics().get(m.name());
                double y = top + row++ * rowH + rowH / 2.0;
                h.raw("<g class=\"row\"><title>").text(g.key().display() + "\n" + Fmt.side(s))
                        .raw("</title><text class=\"label\" x=\"").raw(Integer.toString(left - 8)).raw("\" y=\"")
                        .raw(Svg.n(y + 4)).raw("\" text-anchor=\"end\">").text(clip(labels.label(g.key()), 38))
                        .raw("</text>");
                double sc = plotW / max;
                if (Double.isFinite(s.ci95())) {
                    rect(h, left + Math.max(0, s.mean() - s.ci95()) * sc, y - 4, 2 * s.ci95() * sc, 8, "cand-ci");
                }
                for (double v : s.values()) {
                    h.raw("<circle class=\"run\" cx=\"").raw(Svg.n(left + v * sc)).raw("\" cy=\"").raw(Svg.n(y))
                            .raw("\" r=\"3\"/>");
                }
                h.raw("<line class=\"mean\" x1=\"").raw(Svg.n(left + s.mean() * sc)).raw("\" x2=\"")
                        .raw(Svg.n(left + s.mean() * sc)).raw("\" y1=\"").raw(Svg.n(y - 7)).raw("\" y2=\"")
                        .raw(Svg.n(y + 7)).raw("\"/><text class=\"val\" x=\"").raw(Integer.toString(W - 8))
                        .raw("\" y=\"").raw(Svg.n(y + 4)).raw("\" text-anchor=\"end\">").text(Fmt.num(s.mean()))
                        .raw("</text></g>");
            }
            h.raw("</svg></figure>\n");
        }
        h.raw("</div></section>\n");
    }

    // ------------------------------------------------------------------ timelines

    private static void timelines(Svg h, Input in, KeyLabels labels) {
        Map<PairKey, RunResult> reps = representatives(in.candidate());
        Map<PairKey, RunResult> base = representatives(in.baseline());
        Map<String, RunResult> baseByTest = new LinkedHashMap<>();
        base.forEach((k, r) -> baseByTest.putIfAbsent(testKey(r), r));
        h.raw("<section id=\"timelines\"><h2>Timelines</h2><p class=\"note\">One run per test (its first passed repetition): ")
                .raw("scenario steps as bands, operations as markers, the iteration rate of the candidate (blue)")
                .raw(in.baselineLabel() != null ? " and the baseline (grey, dashed)" : "")
                .raw(", and the monitor's phases below (mean runnable tasks per CPU; darker is busier) with its ")
                .raw("violations in red over the samples that violated, or why it did not run.</p>")
                .raw("<div class=\"grid\">\n");
        int drawn = 0;
        for (Map.Entry<PairKey, RunResult> e : reps.entrySet()) {
            if (drawn++ == MAX_TIMELINES) {
                h.raw("<p class=\"note\">").raw(Integer.toString(reps.size() - MAX_TIMELINES))
                        .raw(" further tests have timelines that are not drawn.</p>");
                break;
            }
            timeline(h, e.getKey(), e.getValue(), baseByTest.get(testKey(e.getValue())), labels);
        }
        h.raw("</div>");
        if (reps.isEmpty()) {
            h.raw("<p class=\"note\">No run recorded a timeline.</p>");
        }
        h.raw("</section>\n");
    }

    private static String testKey(RunResult r) {
        return Dimension.TEST.valueOf(r) + "|" + Dimension.TOPOLOGY.valueOf(r) + "|" + Dimension.FLAGS.valueOf(r)
                + "|" + Dimension.WORK_TYPE.valueOf(r);
    }

    private static Map<PairKey, RunResult> representatives(List<RunResult> runs) {
        Map<PairKey, RunResult> out = new java.util.TreeMap<>();
        for (RunResult r : runs) {
            if (r.timeline() == null || r.timeline().isEmpty()) {
                continue;
            }
            PairKey k = PairKey.of(r, Dimension.DEFAULT_PAIRING);
            RunResult cur = out.get(k);
            boolean better = cur == null
                    || (cur.outcome().status() != Outcome.Status.PASSED && r.outcome().status() == Outcome.Status.PASSED)
                    || (cur.outcome().status() == r.outcome().status() && r.repetition() < cur.repetition());
            if (better) {
                out.put(k, r);
            }
        }
        return out;
    }

    private record Rate(double tMs, double perSec) {}

    private static List<Rate> rates(List<StimulusEvent> tl) {
        List<StimulusEvent> ev = new ArrayList<>(tl);
        ev.sort(Comparator.comparingLong(StimulusEvent::elapsedMs));
        List<Rate> out = new ArrayList<>();
        for (int i = 1; i < ev.size(); i++) {
            long dt = ev.get(i).elapsedMs() - ev.get(i - 1).elapsedMs();
            if (dt > 0) {
                double d = ev.get(i).cumulativeIterations() - ev.get(i - 1).cumulativeIterations();
                out.add(new Rate(ev.get(i - 1).elapsedMs(), d * 1000.0 / dt));
                out.add(new Rate(ev.get(i).elapsedMs(), d * 1000.0 / dt));
            }
        }
        return out;
    }

    private static void timeline(Svg h, PairKey key, RunResult r, RunResult baseline, KeyLabels labels) {
        List<StimulusEvent> tl = r.timeline();
        long end = tl.stream().mapToLong(StimulusEvent::elapsedMs).max().orElse(1);
        MonitorSummary mon = r.monitor();
        if (mon != null && mon.phases() != null) {
            end = Math.max(end, mon.phases().stream().mapToLong(MonitorSummary.Phase::endMs).max().orElse(0));
        }
        if (baseline != null && baseline.timeline() != null) {
            end = Math.max(end, baseline.timeline().stream().mapToLong(StimulusEvent::elapsedMs).max().orElse(0));
        }
        end = Math.max(end, 1);
        List<Rate> rate = rates(tl);
        List<Rate> baseRate = baseline == null || baseline.timeline() == null ? List.of() : rates(baseline.timeline());
        double maxRate = 0;
        for (Rate x : rate) {
            maxRate = Math.max(maxRate, x.perSec());
        }
        for (Rate x : baseRate) {
            maxRate = Math.max(maxRate, x.perSec());
        }
        maxRate = niceCeil(maxRate <= 0 ? 1 : maxRate * 1.1);
        boolean hasMon = mon != null && mon.phases() != null && !mon.phases().isEmpty();
        // A monitor that did not run says why in its row; violations get a row of their own.
        String monLine = mon == null || mon.status() == null || mon.status().equals("ok") ? null
                : "monitor " + mon.status();
        List<MonitorSpan> violations = hasMon ? monitorSpans(mon) : List.of();
        int left = 70;
        int right = 20;
        int plotW = W - left - right;
        int stepTop = 30;
        int chartTop = 52;
        int chartBottom = 170;
        int monTop = chartBottom + 24;
        int violTop = monTop + 28;
        int height = hasMon ? (violations.isEmpty() ? monTop + 40 : violTop + 30) : monLine != null ? monTop + 30
                : chartBottom + 30;
        double sx = plotW / (double) end;
        h.raw("<figure class=\"chart\"><svg class=\"timeline\" data-test=\"").text(key.display())
                .raw("\" viewBox=\"0 0 ").raw(Integer.toString(W)).raw(" ").raw(Integer.toString(height))
                .raw("\" role=\"img\">");
        h.raw("<text class=\"title\" x=\"8\" y=\"18\">").text(labels.label(key)).raw("</text>");
        h.raw("<text class=\"sub\" x=\"").raw(Integer.toString(W - 8)).raw("\" y=\"18\" text-anchor=\"end\">")
                .text(r.outcome().status().name().toLowerCase(Locale.ROOT) + " · run " + r.runId() + " r"
                        + r.repetition()).raw("</text>");
        // Step bands.
        Map<Integer, long[]> steps = new java.util.TreeMap<>();
        for (StimulusEvent e : tl) {
            long[] s = steps.computeIfAbsent(e.step(), k -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
            s[0] = Math.min(s[0], e.elapsedMs());
            s[1] = Math.max(s[1], e.elapsedMs());
        }
        for (Map.Entry<Integer, long[]> s : steps.entrySet()) {
            double x1 = left + s.getValue()[0] * sx;
            double x2 = left + s.getValue()[1] * sx;
            int idx = s.getKey();
            rect(h, x1, stepTop, Math.max(1, x2 - x1), chartBottom - stepTop, idx % 2 == 0 ? "step even" : "step odd");
            h.raw("<text class=\"steplabel\" x=\"").raw(Svg.n(x1 + 6)).raw("\" y=\"").raw(Integer.toString(stepTop + 13))
                    .raw("\">step ").raw(Integer.toString(idx)).raw("</text>");
        }
        // Axes.
        for (int i = 0; i <= 4; i++) {
            double y = chartBottom - (chartBottom - chartTop) * i / 4.0;
            h.raw("<line class=\"grid\" x1=\"").raw(Integer.toString(left)).raw("\" x2=\"")
                    .raw(Integer.toString(left + plotW)).raw("\" y1=\"").raw(Svg.n(y)).raw("\" y2=\"").raw(Svg.n(y))
                    .raw("\"/><text class=\"axis\" x=\"").raw(Integer.toString(left - 6)).raw("\" y=\"")
                    .raw(Svg.n(y + 4)).raw("\" text-anchor=\"end\">").text(Fmt.num(maxRate * i / 4)).raw("</text>");
        }
        h.raw("<text class=\"axis\" transform=\"translate(12 ").raw(Integer.toString((chartTop + chartBottom) / 2))
                .raw(") rotate(-90)\" text-anchor=\"middle\">iterations/s</text>");
        double tickStep = niceStep(end / 6.0);
        for (double t = 0; t <= end + 1e-9; t += tickStep) {
            double x = left + t * sx;
            h.raw("<text class=\"axis\" x=\"").raw(Svg.n(x)).raw("\" y=\"").raw(Integer.toString(chartBottom + 14))
                    .raw("\" text-anchor=\"middle\">").text(Fmt.ms(t))
                    .raw("</text>");
        }
        polyline(h, baseRate, left, sx, chartBottom, chartBottom - chartTop, maxRate, "rate base");
        polyline(h, rate, left, sx, chartBottom, chartBottom - chartTop, maxRate, "rate cand");
        // Operation markers.
        for (StimulusEvent e : tl) {
            if (e.kind() == null || e.kind().equals("step-start") || e.kind().equals("step-end")
                    || e.kind().equals("sample")) {
                continue;
            }
            double x = left + e.elapsedMs() * sx;
            h.raw("<g class=\"op\"><title>").text("+" + e.elapsedMs() + " ms  " + e.kind() + "  " + e.detail())
                    .raw("</title><line x1=\"").raw(Svg.n(x)).raw("\" x2=\"").raw(Svg.n(x)).raw("\" y1=\"")
                    .raw(Integer.toString(chartTop - 4)).raw("\" y2=\"").raw(Integer.toString(chartBottom))
                    .raw("\"/><path d=\"M").raw(Svg.n(x - 5)).raw(" ").raw(Integer.toString(chartTop - 10)).raw(" L")
                    .raw(Svg.n(x + 5)).raw(" ").raw(Integer.toString(chartTop - 10)).raw(" L").raw(Svg.n(x)).raw(" ")
                    .raw(Integer.toString(chartTop - 3)).raw(" Z\"/></g>");
        }
        if (hasMon) {
            double maxNr = mon.phases().stream().mapToDouble(MonitorSummary.Phase::meanNrRunning).max().orElse(1);
            h.raw("<text class=\"axis\" x=\"").raw(Integer.toString(left - 6)).raw("\" y=\"")
                    .raw(Integer.toString(monTop + 15)).raw("\" text-anchor=\"end\">monitor</text>");
            for (MonitorSummary.Phase p : mon.phases()) {
                double x1 = left + p.startMs() * sx;
                double w = Math.max(1, (p.endMs() - p.startMs()) * sx);
                double shade = maxNr > 0 ? 0.15 + 0.75 * Math.max(0, p.meanNrRunning()) / maxNr : 0.15;
                h.raw("<g class=\"phase\"><title>").text("step " + p.step() + ": mean nr_running "
                        + Fmt.num(p.meanNrRunning()) + ", max imbalance " + Fmt.num(p.maxImbalanceRatio())
                        + ", max DSQ depth " + p.maxLocalDsqDepth() + ", fallback +" + p.fallbackDelta()
                        + ", keep-last +" + p.keepLastDelta()).raw("</title><rect x=\"").raw(Svg.n(x1 + 1))
                        .raw("\" y=\"").raw(Integer.toString(monTop)).raw("\" width=\"").raw(Svg.n(Math.max(1, w - 2)))
                        .raw("\" height=\"22\" rx=\"4\" fill-opacity=\"").raw(String.format(Locale.ROOT, "%.2f", shade))
                        .raw("\"/><text x=\"").raw(Svg.n(x1 + 6)).raw("\" y=\"").raw(Integer.toString(monTop + 15))
                        .raw("\">").text("nr " + Fmt.num(p.meanNrRunning()) + " · imb " + Fmt.num(p.maxImbalanceRatio())
                                + " · dsq " + p.maxLocalDsqDepth()).raw("</text></g>");
            }
            for (MonitorSpan v : violations) {
                double x1 = left + Math.max(0, Math.min(end, v.startMs())) * sx;
                double x2 = left + Math.max(0, Math.min(end, v.endMs())) * sx;
                h.raw("<g class=\"violation\"><title>").text(v.text()).raw("</title><rect x=\"").raw(Svg.n(x1))
                        .raw("\" y=\"").raw(Integer.toString(violTop)).raw("\" width=\"")
                        .raw(Svg.n(Math.max(2, x2 - x1))).raw("\" height=\"6\" rx=\"2\"/><text x=\"").raw(Svg.n(x1))
                        .raw("\" y=\"").raw(Integer.toString(violTop + 18)).raw("\">").text(v.label())
                        .raw("</text></g>");
            }
        } else if (monLine != null) {
            h.raw("<text class=\"monnote\" x=\"").raw(Integer.toString(left)).raw("\" y=\"")
                    .raw(Integer.toString(monTop + 10)).raw("\">").text(monLine).raw("</text>");
        }
        h.raw("</svg></figure>\n");
    }

    /**
     * A monitor violation placed on the timeline: its line, e.g. {@code imbalance: 6 > 4.0 (cpu 0 has 6
     * runnable tasks, cpu 1 has 0) for 31 consecutive samples (+3.2s..+6.1s)}, whose span the runner
     * counts on the timeline's clock ({@code MonitorEvaluator}).
     */
    private record MonitorSpan(String text, long startMs, long endMs) {
        /** The check and its value, shortened for a label under the bar. */
        String label() {
            int cut = text.indexOf(" for ");
            String l = cut < 0 ? text : text.substring(0, cut);
            return l.length() > 90 ? l.substring(0, 89) + "…" : l;
        }
    }

    private static final java.util.regex.Pattern SPAN = java.util.regex.Pattern.compile(
            "\\(([+-]\\d+(?:\\.\\d+)?)s\\.\\.([+-]\\d+(?:\\.\\d+)?)s\\)$");

    private static List<MonitorSpan> monitorSpans(MonitorSummary mon) {
        List<MonitorSpan> out = new ArrayList<>();
        for (String v : mon.violations() == null ? List.<String>of() : mon.violations()) {
            java.util.regex.Matcher m = SPAN.matcher(v);
            if (m.find()) {
                out.add(new MonitorSpan(v, Math.round(Double.parseDouble(m.group(1)) * 1000),
                        Math.round(Double.parseDouble(m.group(2)) * 1000)));
            }
        }
        return out;
    }

    private static void polyline(Svg h, List<Rate> pts, int left, double sx, int bottom, int plotH, double max,
            String cls) {
        if (pts.isEmpty()) {
            return;
        }
        h.raw("<polyline class=\"").raw(cls).raw("\" points=\"");
        for (Rate p : pts) {
            h.raw(Svg.n(left + p.tMs() * sx)).raw(",").raw(Svg.n(bottom - p.perSec() / max * plotH)).raw(" ");
        }
        h.raw("\"/>");
    }

    // ------------------------------------------------------------------ problems

    private static void problems(Svg h, Input in) {
        Comparison c = in.comparison();
        List<String> lines = new ArrayList<>();
        if (c != null) {
            c.skipped().forEach(s -> lines.add("skipped " + s.key().display() + ": " + s.reason()));
            c.unpaired().forEach(u -> lines.add("only in " + u.side() + ": " + u.key().display() + " (" + u.runs()
                    + " runs)"));
            c.excludedRuns().forEach(e -> lines.add(e.side() + " " + e.status() + " " + e.key().display() + " ["
                    + e.runId() + "]: " + e.reason()));
        } else {
            in.candidate().stream().filter(r -> r.outcome().status() != Outcome.Status.PASSED)
                    .forEach(r -> lines.add(r.outcome().status() + " " + Dimension.TEST.valueOf(r) + " [" + r.runId()
                            + " r" + r.repetition() + "]: " + r.outcome().failures()));
        }
        in.badBaseline().forEach(b -> lines.add("A " + b.message()));
        in.badCandidate().forEach(b -> lines.add((in.baselineLabel() != null ? "B " : "") + b.message()));
        if (lines.isEmpty()) {
            return;
        }
        h.raw("<section id=\"not-compared\"><h2>Not compared</h2><ul class=\"problems\">");
        for (String l : lines) {
            h.raw("<li>").text(l).raw("</li>");
        }
        h.raw("</ul></section>\n");
    }

    // ------------------------------------------------------------------ assets

    private static final String CSS = """
            :root{--bg:#f6f7f9;--fg:#1d2433;--muted:#667085;--card:#fff;--line:#e4e7ec;
            --reg:#d1495b;--imp:#2e9e6a;--inc:#e0a526;--unc:#8a94a6;--na:#c3c8d2;--base:#98a2b3;--cand:#2f6fd6}
            *{box-sizing:border-box}
            body{margin:0;padding:28px 36px;background:var(--bg);color:var(--fg);
            font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
            header h1{margin:0 0 6px;font-size:26px;letter-spacing:-.01em}
            .sources{color:var(--muted);font-size:13px}.sources div{margin:2px 0}
            .tag{display:inline-block;padding:1px 8px;border-radius:10px;font-size:11px;font-weight:600;color:#fff;margin-right:6px}
            .tag.base{background:#667085}.tag.cand{background:var(--cand)}
            .cards{display:flex;flex-wrap:wrap;gap:12px;margin:20px 0 8px}
            .card{background:var(--card);border-radius:12px;padding:12px 18px;min-width:130px;
            box-shadow:0 1px 2px rgba(16,24,40,.06),0 1px 3px rgba(16,24,40,.1);border-top:4px solid var(--unc)}
            .card .big{font-size:28px;font-weight:700;line-height:1.1}.card .small{color:var(--muted);font-size:12px}
            .card.regression{border-color:var(--reg)}.card.regression .big{color:var(--reg)}
            .card.improvement{border-color:var(--imp)}.card.improvement .big{color:var(--imp)}
            .card.inconclusive{border-color:var(--inc)}.card.inconclusive .big{color:#b7811a}
            .card.info{border-color:var(--cand)}
            .rule{color:var(--muted);font-size:12px;margin:4px 0}
            .common{margin-top:8px}.chip{display:inline-block;background:#eaecf0;border-radius:10px;padding:1px 9px;
            margin:2px 6px 2px 0;font-size:12px;color:#344054}
            section{background:var(--card);border-radius:14px;padding:18px 22px;margin:22px 0;
            box-shadow:0 1px 2px rgba(16,24,40,.06),0 1px 3px rgba(16,24,40,.1)}
            h2{margin:0 0 10px;font-size:18px}
            .note{color:var(--muted);font-size:12.5px;margin:4px 0 12px}
            table{border-collapse:collapse;width:100%;font-size:13px}
            th{text-align:left;color:var(--muted);font-weight:600;border-bottom:2px solid var(--line);padding:6px 8px;position:sticky;top:0;background:var(--card)}
            td{border-bottom:1px solid var(--line);padding:5px 8px;vertical-align:top}
            td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
            td.bad{color:var(--reg);font-weight:600}td.good{color:var(--imp);font-weight:600}
            tr.hidden{display:none}
            .badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:11.5px;font-weight:600;color:#fff;white-space:nowrap}
            .badge.regression{background:var(--reg)}.badge.improvement{background:var(--imp)}
            .badge.inconclusive{background:var(--inc)}.badge.unchanged{background:var(--unc)}.badge.not-applicable{background:var(--na)}
            .filters{display:flex;gap:6px;align-items:center;margin-bottom:10px;flex-wrap:wrap}
            .filters button{border:1px solid var(--line);background:#fff;border-radius:16px;padding:4px 12px;cursor:pointer;font:inherit;font-size:12.5px}
            .filters button.on{background:var(--fg);color:#fff;border-color:var(--fg)}
            .filters input{margin-left:auto;border:1px solid var(--line);border-radius:16px;padding:5px 12px;font:inherit;font-size:12.5px;min-width:240px}
            .grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(620px,1fr));gap:14px}
            figure.chart{margin:0;border:1px solid var(--line);border-radius:10px;padding:6px;background:#fff}
            figure.wide{margin:0 0 14px}
            figcaption{color:var(--muted);font-size:12px;padding:0 8px 6px}
            svg{width:100%;height:auto;display:block}
            svg text{font-family:inherit;fill:var(--fg)}
            svg .title{font-size:14px;font-weight:650}svg .sub,svg .axis{font-size:11px;fill:var(--muted)}
            svg .label{font-size:11.5px}svg .val{font-size:11.5px;font-variant-numeric:tabular-nums;fill:var(--muted)}
            svg .val.regression{fill:var(--reg);font-weight:650}svg .val.improvement{fill:var(--imp);font-weight:650}
            svg .grid{stroke:var(--line);stroke-width:1}svg .zero{stroke:#667085;stroke-width:1.2}
            svg .zone-bad{fill:#d1495b;fill-opacity:.06}svg .zone-good{fill:#2e9e6a;fill-opacity:.06}
            svg .zone-gate{fill:#98a2b3;fill-opacity:.14}
            svg .base-ci{fill:var(--base);fill-opacity:.55;rx:3}
            svg .cand-ci{fill:var(--cand);fill-opacity:.18;rx:3}
            svg .whisker{stroke-width:2.2;stroke-linecap:round}
            svg .dot{stroke:#fff;stroke-width:1.5}
            svg line.regression{stroke:var(--reg)}svg circle.regression{fill:var(--reg)}
            svg line.improvement{stroke:var(--imp)}svg circle.improvement{fill:var(--imp)}
            svg line.inconclusive{stroke:var(--inc)}svg circle.inconclusive{fill:var(--inc)}
            svg line.unchanged{stroke:var(--unc)}svg circle.unchanged{fill:var(--unc)}
            svg line.not-applicable{stroke:var(--na)}svg circle.not-applicable{fill:var(--na)}
            svg g.row.regression .label{fill:var(--reg);font-weight:600}
            svg g.row.improvement .label{fill:var(--imp);font-weight:600}
            svg circle.dot.hollow{fill:#fff;stroke-width:2}
            svg circle.dot.hollow.regression{stroke:var(--reg)}svg circle.dot.hollow.improvement{stroke:var(--imp)}
            svg circle.dot.hollow.unchanged{stroke:var(--unc)}
            svg g.row:hover .label{font-weight:650}
            svg .run{fill:var(--cand);fill-opacity:.55}svg .mean{stroke:var(--fg);stroke-width:2}
            svg .step.even{fill:#eef4ff}svg .step.odd{fill:#f5f0ff}
            svg .steplabel{font-size:11px;fill:#475467;font-weight:600}
            svg .rate{fill:none;stroke-width:2;stroke-linejoin:round}
            svg .rate.cand{stroke:var(--cand)}svg .rate.base{stroke:#98a2b3;stroke-dasharray:5 4}
            svg .op line{stroke:#7a5af8;stroke-width:1;stroke-dasharray:2 3}svg .op path{fill:#7a5af8}
            svg .phase rect{fill:#7a5af8}svg .phase text{font-size:11px;fill:#fff;font-weight:600}
            svg .violation rect{fill:#d92d20}svg .violation text{font-size:11px;fill:#b42318}
            svg .monnote{font-size:11px;fill:#667085;font-style:italic}
            ul.problems{margin:0;padding-left:18px;font-size:13px}ul.problems li{margin:2px 0}
            footer{color:var(--muted);font-size:12px;text-align:center;margin:24px 0 4px}
            """;

    private static final String JS = """
            (function () {
              var rows = Array.prototype.slice.call(document.querySelectorAll('#verdicts tbody tr'));
              var mode = 'changed';
              var search = document.getElementById('search');
              function keep(tr) {
                var v = tr.className.replace('v-', '');
                if (mode === 'changed' && (v === 'unchanged' || v === 'not-applicable')) return false;
                if (mode !== 'changed' && mode !== 'all' && v !== mode) return false;
                var q = search && search.value ? search.value.toLowerCase() : '';
                return !q || tr.textContent.toLowerCase().indexOf(q) >= 0;
              }
              function apply() {
                var shown = 0;
                rows.forEach(function (tr) {
                  var k = keep(tr);
                  tr.classList.toggle('hidden', !k);
                  if (k) shown++;
                });
                var empty = document.getElementById('empty-note');
                if (empty) empty.hidden = shown > 0;
              }
              var bar = document.getElementById('filters');
              if (bar) {
                bar.addEventListener('click', function (e) {
                  var b = e.target.closest('button');
                  if (!b) return;
                  mode = b.getAttribute('data-f');
                  bar.querySelectorAll('button').forEach(function (x) { x.classList.toggle('on', x === b); });
                  apply();
                });
              }
              if (search) search.addEventListener('input', apply);
              apply();
              document.body.setAttribute('data-ready', String(rows.length));
              console.log('ktstr-report: ready, ' + rows.length + ' verdict rows, '
                  + document.querySelectorAll('svg').length + ' charts');
            })();
            """;
}
