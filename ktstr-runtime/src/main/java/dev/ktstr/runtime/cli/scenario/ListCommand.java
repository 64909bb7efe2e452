package dev.ktstr.runtime.cli.scenario;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ktstr.runtime.scenario.Requirement;
import dev.ktstr.runtime.scenario.canned.Catalog;
import dev.ktstr.runtime.scenario.canned.CatalogEntry;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ktstr list [--json] [--category C]}: the scenario catalog. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the scenarios 'ktstr run' knows: name, category, cgroups, cpuset partition, "
                + "built-in flags (+required -excluded), description.")
public final class ListCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print a JSON array instead of a table.")
    boolean json;

    @Option(names = "--category", paramLabel = "C", description = "Only this category (e.g. stress, sched_class).")
    String category;

    /** One catalog entry as {@code --json} prints it. */
    public record Row(String name, String category, String description, List<String> requiredFlags,
            List<String> excludedFlags, int numCgroups, String cpusetPartition, List<String> requires, int steps) {

        static Row of(CatalogEntry e) {
            return new Row(e.name(), e.category().id(), e.description(), e.requiredFlags(), e.excludedFlags(),
                    e.numCgroups(), e.partition().describe(),
                    e.scenario().requirements().stream().map(Requirement::reason).toList(), e.scenario().steps().size());
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<CatalogEntry> entries = Catalog.all();
        if (category != null) {
            List<String> ids = List.of(CatalogEntry.Category.values()).stream().map(CatalogEntry.Category::id).toList();
            if (!ids.contains(category)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "unknown category '" + category
                        + "'" + dev.ktstr.runtime.scenario.DidYouMean.hint(category, ids) + "; known: "
                        + String.join(", ", ids));
            }
            entries = entries.stream().filter(e -> e.category().id().equals(category)).toList();
        }
        List<Row> rows = entries.stream().map(Row::of).toList();
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rows));
        } else {
            out.print(table(rows));
        }
        out.flush();
        return 0;
    }

    static String table(List<Row> rows) {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"NAME", "CATEGORY", "CGROUPS", "CPUSETS", "FLAGS", "DESCRIPTION"});
        for (Row r : rows) {
            List<String> flags = new ArrayList<>();
            r.requiredFlags().forEach(f -> flags.add("+" + f));
            r.excludedFlags().forEach(f -> flags.add("-" + f));
            String desc = r.description() + (r.requires().isEmpty() ? "" : " (" + String.join(", ", r.requires()) + ")");
            cells.add(new String[] {r.name(), r.category(), r.numCgroups() == 0 ? "-" : Integer.toString(r.numCgroups()),
                    r.numCgroups() == 0 ? "-" : r.cpusetPartition(), String.join(" ", flags), desc});
        }
        int[] width = new int[5];
        for (String[] c : cells) {
            for (int i = 0; i < 5; i++) {
                width[i] = Math.max(width[i], c[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] c : cells) {
            for (int i = 0; i < 5; i++) {
                sb.append(String.format(Locale.ROOT, "%-" + (width[i] + 2) + "s", c[i]));
            }
            sb.append(c[5]).append('\n');
        }
        sb.append(rows.size()).append(" scenarios\n");
        return sb.toString();
    }
}
