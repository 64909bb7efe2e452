package dev.ktstr.runtime.cli.stats;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ktstr.runtime.result.ResultFiles;
import dev.ktstr.runtime.result.ResultSet;
import dev.ktstr.runtime.result.RunResult;
import dev.ktstr.runtime.stats.ComparePolicy;
import dev.ktstr.runtime.stats.Comparison;
import dev.ktstr.runtime.stats.ComparisonText;
import dev.ktstr.runtime.stats.ResultComparator;
import dev.ktstr.runtime.stats.RunFilter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ktstr stats compare}: baseline (A) against candidate (B). Where the sides come from:
 * {@code --a-dir}/{@code --b-dir} (repeatable), or {@code --dir} for both; with neither, per-side
 * filters select both sides from every run under the root, and without those either A is the
 * second-newest run and B the newest. Exit status {@value StatsCommand#EXIT_REGRESSION} on any
 * regression.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Compare a baseline (A) with a candidate (B); exit 1 on any regression.")
final class CompareCommand implements Callable<Integer> {

    @ParentCommand
    StatsCommand parent;

    @Option(names = "--a-dir", paramLabel = "DIR", description = "Baseline run directory (repeatable).")
    List<Path> aDirs = new ArrayList<>();

    @Option(names = "--b-dir", paramLabel = "DIR", description = "Candidate run directory (repeatable).")
    List<Path> bDirs = new ArrayList<>();

    @Option(names = "--dir", paramLabel = "DIR", description = "Run directory for both sides (repeatable).")
    List<Path> dirs = new ArrayList<>();

    @Mixin
    FilterOptions filters;

    @Mixin
    PolicyOptions policyOptions;

    @Option(names = "--json", description = "Print the full comparison as JSON.")
    boolean json;

    @Option(names = "--all", description = "List every cell, unchanged ones too, without limits.")
    boolean all;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ComparePolicy policy = policyOptions.policy();
        RunLocator loc = new RunLocator(parent.root);
        List<Path> a = new ArrayList<>(aDirs);
        List<Path> b = new ArrayList<>(bDirs);
        a.addAll(dirs);
        b.addAll(dirs);
        if (a.isEmpty() && b.isEmpty()) {
            if (filters.hasPerSide()) {
                a.addAll(loc.runs());
                b.addAll(a);
                if (a.isEmpty()) {
                    throw new StatsException("[KtstrNoResults] no runs under " + loc.root().toAbsolutePath());
                }
            } else {
                Path newest = loc.resolve(null);
                a.add(loc.newestExcept(newest));
                b.add(newest);
            }
        } else if (a.isEmpty()) {
            a.add(loc.newestExcept(b.get(0)));
        } else if (b.isEmpty()) {
            b.add(loc.newestExcept(a.get(0)));
        }
        ResultSet setA = RunLocator.read(a);
        ResultSet setB = RunLocator.read(b);
        RunFilter fa = filters.a();
        RunFilter fb = filters.b();
        List<RunResult> rowsA = fa.apply(setA.runResults());
        List<RunResult> rowsB = fb.apply(setB.runResults());
        Comparison c = ResultComparator.compare(rowsA, rowsB, setA.badFiles(), setB.badFiles(), policy);
        String labelA = label(a, fa, setA.runResults().size(), rowsA.size());
        String labelB = label(b, fb, setB.runResults().size(), rowsB.size());
        if (json) {
            ObjectNode root = ResultFiles.mapper().createObjectNode();
            root.put("a", labelA);
            root.put("b", labelB);
            root.put("regression", c.hasRegression());
            root.set("comparison", ResultFiles.mapper().valueToTree(c));
            out.println(ResultFiles.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(root));
        } else {
            out.print(ComparisonText.render(c, labelA, labelB, all));
        }
        return c.hasRegression() ? StatsCommand.EXIT_REGRESSION : 0;
    }

    private static String label(List<Path> dirs, RunFilter f, int read, int kept) {
        String d = dirs.size() == 1 ? dirs.get(0).toString() : dirs.size() + " runs";
        return d + (f.isEmpty() ? "" : " [" + f.describe() + "]") + " (" + kept + " results"
                + (kept == read ? "" : " of " + read + " after filters") + ")";
    }
}
