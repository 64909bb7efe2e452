package dev.ktstr.runtime.cli.stats;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ktstr.runtime.result.BadResultFile;
import dev.ktstr.runtime.result.Outcome;
import dev.ktstr.runtime.result.ResultFiles;
import dev.ktstr.runtime.result.ResultSet;
import dev.ktstr.runtime.result.RunResult;
import dev.ktstr.runtime.stats.Dimension;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ktstr stats list}: the runs found under the root, newest first, with what each holds. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the runs found, newest first.")
final class ListCommand implements Callable<Integer> {

    @ParentCommand
    StatsCommand parent;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        RunLocator loc = new RunLocator(parent.root);
        List<Path> runs = loc.runs();
        ArrayNode arr = ResultFiles.mapper().createArrayNode();
        if (!json) {
            if (runs.isEmpty()) {
                out.println("no runs under " + loc.root().toAbsolutePath());
                return 0;
            }
            out.printf("%-40s %6s %5s %6s %6s %6s %4s %4s  %s%n", "RUN", "FILES", "TESTS", "PASS", "FAIL", "SKIP", "REPS",
                    "BAD", "KERNELS / SCHEDULERS");
        }
        for (Path dir : runs) {
            ResultSet set = ResultFiles.readDirectory(dir);
            List<RunResult> rs = set.runResults();
            Map<Outcome.Status, Integer> st = new EnumMap<>(Outcome.Status.class);
            rs.forEach(r -> st.merge(r.outcome().status(), 1, Integer::sum));
            int tests = new TreeSet<>(rs.stream().map(r -> Dimension.TEST.valueOf(r) + " " + r.variant()).toList()).size();
            int reps = rs.stream().mapToInt(r -> r.repetition() + 1).max().orElse(0);
            String kernels = String.join(",", new TreeSet<>(rs.stream().map(Dimension.KERNEL::valueOf).toList()));
            String scheds = String.join(",", new TreeSet<>(rs.stream().map(Dimension.SCHEDULER::valueOf).toList()));
            String name = RunLocator.sameDir(dir, loc.root()) ? "." : loc.root().relativize(dir).toString();
            int failed = st.getOrDefault(Outcome.Status.FAILED, 0) + st.getOrDefault(Outcome.Status.ERROR, 0);
            if (json) {
                ObjectNode o = arr.addObject();
                o.put("run", name);
                o.put("path", dir.toString());
                o.put("files", rs.size() + set.badFiles().size());
                o.put("tests", tests);
                o.put("passed", st.getOrDefault(Outcome.Status.PASSED, 0));
                o.put("failed", failed);
                o.put("skipped", st.getOrDefault(Outcome.Status.SKIPPED, 0));
                o.put("repetitions", reps);
                o.put("kernels", kernels);
                o.put("schedulers", scheds);
                ArrayNode bad = o.putArray("bad_files");
                set.badFiles().forEach(b -> bad.add(b.message()));
            } else {
                out.printf("%-40s %6d %5d %6d %6d %6d %4d %4d  %s / %s%n", name, rs.size() + set.badFiles().size(),
                        tests, st.getOrDefault(Outcome.Status.PASSED, 0), failed,
                        st.getOrDefault(Outcome.Status.SKIPPED, 0), reps, set.badFiles().size(), kernels, scheds);
                for (BadResultFile b : set.badFiles()) {
                    out.println("    " + b.message());
                }
            }
        }
        if (json) {
            out.println(ResultFiles.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(arr));
        }
        return 0;
    }
}
