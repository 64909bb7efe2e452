package dev.ktstr.runtime.cli.stats;

import dev.ktstr.runtime.result.ResultFiles;
import dev.ktstr.runtime.result.ResultSet;
import dev.ktstr.runtime.stats.Comparison;
import dev.ktstr.runtime.stats.ResultComparator;
import dev.ktstr.runtime.stats.report.HtmlReport;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ktstr stats report [RUN] [--vs BASELINE] --out report.html}: writes the self-contained HTML
 * report of one run, or of its comparison with a baseline. Exit status 0 even with regressions (use
 * {@code compare} to gate).
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write a self-contained HTML report of a run, optionally against a baseline.")
final class ReportCommand implements Callable<Integer> {

    @ParentCommand
    StatsCommand parent;

    @Parameters(arity = "0..1", paramLabel = "RUN", description = "Run directory or name (default: newest).")
    String run;

    @Option(names = "--vs", paramLabel = "BASELINE", description = "Baseline run directory or name.")
    String vs;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE.html", description = "Output file.")
    Path out;

    @Mixin
    PolicyOptions policyOptions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        RunLocator loc = new RunLocator(parent.root);
        Path candDir = loc.resolve(run);
        ResultSet cand = ResultFiles.readDirectory(candDir);
        HtmlReport.Input input;
        if (vs != null) {
            Path baseDir = loc.resolve(vs);
            ResultSet base = ResultFiles.readDirectory(baseDir);
            Comparison c = ResultComparator.compare(base, cand, policyOptions.policy());
            input = new HtmlReport.Input(candDir.toString(), cand.runResults(), cand.badFiles(), baseDir.toString(),
                    base.runResults(), base.badFiles(), c);
        } else {
            input = new HtmlReport.Input(candDir.toString(), cand.runResults(), cand.badFiles(), null, List.of(),
                    List.of(), null);
        }
        String html = HtmlReport.render(input);
        Path abs = out.toAbsolutePath();
        if (abs.getParent() != null) {
            Files.createDirectories(abs.getParent());
        }
        // A sibling temporary file (default permissions, unlike createTempFile's 0600), renamed into place.
        Path tmp = abs.resolveSibling("." + abs.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            Files.writeString(tmp, html, StandardCharsets.UTF_8);
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        stdout.println("wrote " + abs + " (" + html.length() / 1024 + " KiB)");
        return 0;
    }
}
