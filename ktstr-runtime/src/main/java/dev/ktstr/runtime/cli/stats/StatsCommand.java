package dev.ktstr.runtime.cli.stats;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ktstr stats}: look at stored results and compare them. Without a subcommand it shows the
 * newest run (as {@code show}). Exit status: 0 fine, {@value #EXIT_REGRESSION} a regression was
 * found ({@code compare}), {@value #EXIT_USAGE} bad usage, {@value #EXIT_ERROR} the command could
 * not run (no results, unreadable policy).
 */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Inspect stored ktstr results and compare runs for regressions.",
        subcommands = {ListCommand.class, ShowCommand.class, CompareCommand.class, ListMetricsCommand.class,
                ReportCommand.class})
public final class StatsCommand implements Callable<Integer> {

    /** A regression was found. */
    public static final int EXIT_REGRESSION = 1;
    /** Bad usage (picocli's default). */
    public static final int EXIT_USAGE = 2;
    /** The command could not run. */
    public static final int EXIT_ERROR = 3;

    @Option(names = "--root", description = "Directory holding runs (default: ${DEFAULT-VALUE}).",
            defaultValue = "target/ktstr", scope = CommandLine.ScopeType.INHERIT)
    Path root;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ShowCommand show = new ShowCommand();
        show.parent = this;
        show.spec = spec;
        return show.call();
    }

    /** A command line for {@code stats} with the output streams and error handling set. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new StatsCommand());
        cl.setOut(out);
        cl.setErr(err);
        configure(cl);
        return cl;
    }

    /**
     * Sets the error handling the stats commands rely on: a {@link StatsException} or an I/O error is
     * one line on stderr and exit status {@value #EXIT_ERROR}. The root {@code ktstr} command may call
     * this on the {@code stats} sub-command line it builds.
     */
    public static void configure(CommandLine cl) {
        cl.setExecutionExceptionHandler((ex, line, parse) -> {
            line.getErr().println(ex instanceof StatsException || ex instanceof java.io.IOException
                    || ex instanceof IllegalArgumentException ? ex.getMessage() : ex.toString());
            line.getErr().flush();
            return EXIT_ERROR;
        });
    }

    /** Runs {@code ktstr stats ARGS} with the given streams and returns the exit status. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        int rc = commandLine(out, err).execute(args);
        out.flush();
        err.flush();
        return rc;
    }

    /** Standalone entry: {@code java dev.ktstr.runtime.cli.stats.StatsCommand compare ...}. */
    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }
}
