package dev.ktstr.runtime.stats;

import dev.ktstr.runtime.result.BadResultFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders a {@link Comparison} as plain text for terminals and assertion messages: the decision rule,
 * regressions, improvements, inconclusive cells with the runs that would decide them, then everything
 * not compared (skipped pairs, unpaired keys, excluded runs, bad files) and a one-line summary of the
 * counts. Nothing is left out without saying how many were left out.
 */
public final class ComparisonText {

    /** Rows listed per section unless {@code all} is asked for. */
    public static final int DEFAULT_LIMIT = 50;

    private ComparisonText() {}

    /** Renders everything; {@code all} also lists unchanged cells and lifts the per-section limit. */
    public static String render(Comparison c, String labelA, String labelB, boolean all) {
        StringBuilder sb = new StringBuilder();
        sb.append("A (baseline):  ").append(labelA).append('\n');
        sb.append("B (candidate): ").append(labelB).append('\n');
        for (ComparedDimension d : c.compared()) {
            sb.append("comparing ").append(d.dimension().label()).append(": ").append(d.a()).append(" -> ")
                    .append(d.b()).append('\n');
        }
        sb.append("paired by: ").append(c.pairedBy().isEmpty() ? "(nothing: all runs of a side are one group)"
                : String.join(", ", c.pairedBy().stream().map(Dimension::label).toList())).append('\n');
        sb.append(rule(c)).append('\n');
        KeyLabels labels = labels(c);
        if (!labels.commonText().isEmpty()) {
            sb.append("common to all pairs: ").append(labels.commonText()).append('\n');
        }
        int limit = all ? Integer.MAX_VALUE : DEFAULT_LIMIT;
        section(sb, "REGRESSIONS", c.cells(Verdict.REGRESSION), limit, labels);
        section(sb, "IMPROVEMENTS", c.cells(Verdict.IMPROVEMENT), limit, labels);
        section(sb, "INCONCLUSIVE (clear the gates, not significant)", c.cells(Verdict.INCONCLUSIVE), limit, labels);
        if (all) {
            section(sb, "UNCHANGED", c.cells(Verdict.UNCHANGED), limit, labels);
            section(sb, "NOT APPLICABLE", c.cells(Verdict.NOT_APPLICABLE), limit, labels);
        }
        lines(sb, "SKIPPED PAIRS (a side has no passed run)", c.skipped().stream()
                .map(s -> s.key().display() + ": " + s.reason()).toList(), limit);
        lines(sb, "UNPAIRED (one side only)", c.unpaired().stream()
                .map(u -> "only in " + u.side() + ": " + u.key().display() + " (" + u.runs() + " run"
                        + (u.runs() == 1 ? "" : "s") + ")").toList(), limit);
        lines(sb, "RUNS NOT USED AS SAMPLES (not passed)", c.excludedRuns().stream()
                .map(e -> e.side() + " " + e.status() + " " + e.key().display() + " [" + e.runId() + "]: " + e.reason())
                .toList(), limit);
        List<String> bad = new ArrayList<>();
        c.badFilesA().forEach(b -> bad.add("A " + b.message()));
        c.badFilesB().forEach(b -> bad.add("B " + b.message()));
        lines(sb, "UNREADABLE RESULT FILES (skipped)", bad, Integer.MAX_VALUE);
        if (!c.unknownMetrics().isEmpty()) {
            sb.append("\nmetrics not in the registry (not compared): ")
                    .append(String.join(", ", c.unknownMetrics().stream().sorted().toList())).append('\n');
        }
        sb.append('\n').append(summary(c)).append('\n');
        return sb.toString();
    }

    /** The decision rule in one line. */
    public static String rule(Comparison c) {
        ComparePolicy p = c.policy();
        String gates = p.relativeGate() != null ? "relative gate " + plain(p.relativeGate() * 100) + "%"
                : "registry gates, x" + plain(p.repeatedGateScale()) + " with repeated runs";
        if (!p.perMetricRelative().isEmpty() || !p.perMetricAbsolute().isEmpty()) {
            gates += ", " + (p.perMetricRelative().size() + p.perMetricAbsolute().size()) + " per-metric overrides";
        }
        String test = p.test() == StatTest.AUTO
                ? "test (Mann-Whitney with >= " + StatTest.AUTO_MIN_RUNS + " runs per side, else Welch)"
                : p.test().label();
        return "rule: |change| >= absolute gate AND >= relative gate [" + gates + "] AND one-sided "
                + test + " " + (p.fdr() ? "Benjamini-Hochberg q" : "p") + " <= " + plain(p.alpha())
                + " (" + c.counts().testedCells() + " tested cells per direction); single runs: gates only";
    }

    private static String plain(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /** The counts in one line. */
    public static String summary(Comparison c) {
        Counts n = c.counts();
        return String.format(Locale.ROOT,
                "summary: %d pairs compared, %d skipped, unpaired %d only-A / %d only-B; %d cells: "
                        + "%d regression%s, %d improvement%s, %d inconclusive, %d unchanged, %d n/a "
                        + "(%d tested, %d gate-only); runs A %d (%d not passed), B %d (%d not passed); "
                        + "unreadable files A %d, B %d",
                n.pairsCompared(), n.pairsSkipped(), n.unpairedA(), n.unpairedB(), n.cells(),
                n.count(Verdict.REGRESSION), n.count(Verdict.REGRESSION) == 1 ? "" : "s",
                n.count(Verdict.IMPROVEMENT), n.count(Verdict.IMPROVEMENT) == 1 ? "" : "s",
                n.count(Verdict.INCONCLUSIVE), n.count(Verdict.UNCHANGED), n.count(Verdict.NOT_APPLICABLE),
                n.testedCells(), n.gateOnlyCells(), n.rowsA(), n.excludedRunsA(), n.rowsB(), n.excludedRunsB(),
                n.badFilesA(), n.badFilesB());
    }

    /** One cell in one line: {@code metric  key  A  B  change  q  note}. */
    public static String cellLine(Cell c, KeyLabels labels) {
        String q = c.gateOnly() ? "gate-only" : "q " + Fmt.p(c.q());
        String extra = c.verdict() == Verdict.INCONCLUSIVE
                ? " ~" + (c.furtherRuns() >= Cell.MANY_RUNS ? Cell.MANY_RUNS + "+" : c.furtherRuns())
                        + " more run" + (c.furtherRuns() == 1 ? "" : "s") + "/side"
                : c.note().isEmpty() || c.gateOnly() ? "" : " (" + c.note() + ")";
        return String.format(Locale.ROOT, "  %-30s %-28s %22s -> %-22s %8s  %s%s", c.metric(), labels.label(c.key()),
                Fmt.side(c.a()), Fmt.side(c.b()), Fmt.pct(c.relChange()), q, extra);
    }

    /** The key with the class package dropped, to keep lines readable. */
    public static String shortKey(PairKey k) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < k.dims().size(); i++) {
            String v = k.values().get(i);
            if (k.dims().get(i) == Dimension.TEST) {
                v = KeyLabels.shortTest(v);
            }
            parts.add(v);
        }
        return parts.isEmpty() ? "(all)" : String.join(" ", parts);
    }

    /** Labels over every key the comparison mentions. */
    public static KeyLabels labels(Comparison c) {
        java.util.Set<PairKey> keys = new java.util.TreeSet<>();
        c.cells().forEach(x -> keys.add(x.key()));
        c.skipped().forEach(x -> keys.add(x.key()));
        c.unpaired().forEach(x -> keys.add(x.key()));
        return KeyLabels.of(keys);
    }

    private static void section(StringBuilder sb, String title, List<Cell> cells, int limit, KeyLabels labels) {
        if (cells.isEmpty()) {
            return;
        }
        sb.append('\n').append(title).append(" (").append(cells.size()).append(")\n");
        int shown = 0;
        for (Cell c : cells) {
            if (shown++ == limit) {
                sb.append("  ... and ").append(cells.size() - limit).append(" more (--all or --json lists them)\n");
                break;
            }
            sb.append(cellLine(c, labels)).append('\n');
        }
    }

    private static void lines(StringBuilder sb, String title, List<String> lines, int limit) {
        if (lines.isEmpty()) {
            return;
        }
        sb.append('\n').append(title).append(" (").append(lines.size()).append(")\n");
        int shown = 0;
        for (String l : lines) {
            if (shown++ == limit) {
                sb.append("  ... and ").append(lines.size() - limit).append(" more (--all or --json lists them)\n");
                break;
            }
            sb.append("  ").append(l).append('\n');
        }
    }

    /** Bad files of a set as lines (used by tools that read without comparing). */
    public static List<String> badFileLines(List<BadResultFile> bad) {
        return bad.stream().map(BadResultFile::message).toList();
    }
}
