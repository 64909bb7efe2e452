package dev.ktstr.runtime.cli.kernel;

import dev.ktstr.runtime.kernel.KernelEnvironment;
import dev.ktstr.runtime.kernel.ProgressSink;
import dev.ktstr.runtime.kernel.TerminalProgress;
import dev.ktstr.runtime.kernel.cache.KernelCache;
import java.io.PrintWriter;
import java.time.Clock;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ktstr kernel}: fetch, build, list and clean the kernels tests boot. The root {@code ktstr}
 * command attaches it as a subcommand; {@link #main(String[])} runs it on its own. The environment,
 * progress sink and clock are fields so tests can run the commands against a temporary cache.
 */
@Command(name = "kernel", mixinStandardHelpOptions = true,
        description = "Fetch, build, list and clean the kernels ktstr boots (cache: $KTSTR_CACHE_DIR/kernels, "
                + "$XDG_CACHE_HOME/ktstr/kernels or ~/.cache/ktstr/kernels).",
        subcommands = {FetchCommand.class, BuildCommand.class, ListCommand.class, CleanCommand.class, PathCommand.class,
            CommandLine.HelpCommand.class})
public final class KernelCommand implements Runnable {

    /** Exit status of a command that failed with a {@link dev.ktstr.runtime.kernel.KernelException}. */
    public static final int EXIT_FAILED = 1;

    @Spec
    CommandSpec spec;

    private final KernelEnvironment env;
    private final ProgressSink progress;
    private final Clock clock;

    public KernelCommand() {
        this(KernelEnvironment.system(), TerminalProgress.stderr(), Clock.systemUTC());
    }

    public KernelCommand(KernelEnvironment env, ProgressSink progress, Clock clock) {
        this.env = env;
        this.progress = progress;
        this.clock = clock;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new KernelCommand()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    KernelEnvironment env() {
        return env;
    }

    ProgressSink progress() {
        return progress;
    }

    Clock clock() {
        return clock;
    }

    KernelCache cache() {
        return new KernelCache(env.kernelCacheRoot());
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
