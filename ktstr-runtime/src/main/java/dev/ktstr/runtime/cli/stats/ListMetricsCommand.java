package dev.ktstr.runtime.cli.stats;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ktstr.runtime.result.ResultFiles;
import dev.ktstr.runtime.stats.Fmt;
import dev.ktstr.runtime.stats.Metric;
import dev.ktstr.runtime.stats.Metrics;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ktstr stats list-metrics [--json]}: the metric registry with polarity, unit and default gates. */
@Command(name = "list-metrics", mixinStandardHelpOptions = true,
        description = "List the metrics the comparator knows, with polarity, unit and default gates.")
final class ListMetricsCommand implements Callable<Integer> {

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ArrayNode arr = ResultFiles.mapper().createArrayNode();
            for (Metric m : Metrics.ALL) {
                ObjectNode o = arr.addObject();
                o.put("name", m.name());
                o.put("better", m.polarity().label());
                o.put("unit", m.unit());
                o.put("default_abs", m.defaultAbs());
                o.put("default_rel", m.defaultRel());
                o.put("description", m.description());
                if (m.guard() != null) {
                    o.putObject("guard").put("metric", m.guard().metric()).put("min", m.guard().min());
                }
            }
            out.println(ResultFiles.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(arr));
            return 0;
        }
        out.printf("%-34s %-7s %-6s %9s %7s  %s%n", "METRIC", "BETTER", "UNIT", "ABS GATE", "REL", "DESCRIPTION");
        for (Metric m : Metrics.ALL) {
            String guard = m.guard() == null ? "" : " (ignored when " + m.guard().metric() + " < "
                    + Fmt.num(m.guard().min()) + ")";
            out.printf("%-34s %-7s %-6s %9s %6.0f%%  %s%s%n", m.name(), m.polarity().label(), m.unit(),
                    Fmt.num(m.defaultAbs()), m.defaultRel() * 100, m.description(), guard);
        }
        out.println("Gates apply as listed when a side has a single run; with repeated runs on both sides they"
                + " are halved and a significance test decides (see docs/stats.md).");
        return 0;
    }
}
