package dev.ktstr.runtime.cli.stats;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ktstr.runtime.result.BadResultFile;
import dev.ktstr.runtime.result.Outcome;
import dev.ktstr.runtime.result.ResultFiles;
import dev.ktstr.runtime.result.ResultSet;
import dev.ktstr.runtime.result.RunResult;
import dev.ktstr.runtime.stats.Dimension;
import dev.ktstr.runtime.stats.Fmt;
import dev.ktstr.runtime.stats.GroupSummary;
import dev.ktstr.runtime.stats.KeyLabels;
import dev.ktstr.runtime.stats.SideSummary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ktstr stats show [RUN]}: per-test summary of one run (the newest by default): runs and
 * statuses, each metric's mean, spread and range over repetitions, failures, and outlier runs.
 */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Summarize one run per test: metrics over repetitions, failures, outliers.")
final class ShowCommand implements Callable<Integer> {

    @ParentCommand
    StatsCommand parent;

    @Parameters(arity = "0..1", paramLabel = "RUN", description = "Run directory or run name (default: newest).")
    String run;

    @Option(names = {"-E", "--test-filter"}, description = "Only tests whose name contains this.")
    String test;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = new RunLocator(parent.root).resolve(run);
        ResultSet set = ResultFiles.readDirectory(dir);
        List<RunResult> rows = set.runResults().stream()
                .filter(r -> test == null || Dimension.TEST.valueOf(r).contains(test) || r.variant().contains(test))
                .toList();
        List<GroupSummary> groups = GroupSummary.of(rows, Dimension.DEFAULT_PAIRING);
        if (json) {
            ObjectNode root = ResultFiles.mapper().createObjectNode();
            root.put("run", dir.toString());
            root.put("results", rows.size());
            ArrayNode bad = root.putArray("bad_files");
            set.badFiles().forEach(b -> bad.add(b.message()));
            ArrayNode gs = root.putArray("tests");
            for (GroupSummary g : groups) {
                ObjectNode o = gs.addObject();
                o.set("key", ResultFiles.mapper().valueToTree(g.key()));
                o.set("statuses", ResultFiles.mapper().valueToTree(g.statuses()));
                ObjectNode ms = o.putObject("metrics");
                g.metrics().forEach((name, s) -> {
                    ObjectNode m = ms.putObject(name);
                    m.put("n", s.n()).put("mean", s.mean()).put("sd", s.sd()).put("median", s.median())
                            .put("min", s.min()).put("max", s.max());
                });
                o.set("outliers", ResultFiles.mapper().valueToTree(g.outliers()));
                ArrayNode f = o.putArray("failures");
                g.runs().stream().filter(r -> r.outcome().status() != Outcome.Status.PASSED)
                        .forEach(r -> f.add(r.runId() + " r" + r.repetition() + " " + r.outcome().status() + ": "
                                + r.outcome().failures()));
            }
            out.println(ResultFiles.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(root));
            return 0;
        }
        out.println("run: " + dir + " (" + rows.size() + " results, " + groups.size() + " tests, "
                + set.badFiles().size() + " unreadable files)");
        KeyLabels labels = KeyLabels.of(groups.stream().map(GroupSummary::key).toList());
        if (!labels.commonText().isEmpty()) {
            out.println("common to all tests: " + labels.commonText());
        }
        for (GroupSummary g : groups) {
            out.println();
            out.println(labels.label(g.key()) + ": " + g.runs().size() + " run"
                    + (g.runs().size() == 1 ? "" : "s") + " " + statuses(g.statuses()));
            for (RunResult r : g.runs()) {
                if (r.outcome().status() != Outcome.Status.PASSED) {
                    out.println("  " + r.outcome().status() + " [" + r.runId() + " r" + r.repetition() + "] "
                            + (r.outcome().failures().isEmpty() ? "no reason recorded"
                                    : r.outcome().failures().get(0).kind() + ": " + r.outcome().failures().get(0).message()));
                }
            }
            if (!g.metrics().isEmpty()) {
                out.printf("  %-32s %10s %10s %7s %10s %10s%n", "metric", "mean", "sd", "cv", "min", "max");
                for (Map.Entry<String, SideSummary> e : g.metrics().entrySet()) {
                    SideSummary s = e.getValue();
                    out.printf("  %-32s %10s %10s %7s %10s %10s%n", e.getKey(), Fmt.num(s.mean()),
                            s.n() > 1 ? Fmt.num(s.sd()) : "-", s.n() > 1 && Double.isFinite(s.cv())
                                    ? String.format(java.util.Locale.ROOT, "%.1f%%", s.cv() * 100) : "-",
                            Fmt.num(s.min()), Fmt.num(s.max()));
                }
            }
            for (GroupSummary.Outlier o : g.outliers()) {
                out.printf("  outlier: %s [%s] = %s (median %s, modified z %+.1f)%n", o.metric(), o.run(),
                        Fmt.num(o.value()), Fmt.num(o.median()), o.z());
            }
        }
        for (BadResultFile b : set.badFiles()) {
            out.println("skipped " + b.message());
        }
        return 0;
    }

    private static String statuses(Map<Outcome.Status, Integer> st) {
        StringBuilder sb = new StringBuilder("(");
        st.forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "").append(v).append(' ')
                .append(k.name().toLowerCase(java.util.Locale.ROOT)));
        return sb.append(')').toString();
    }
}
