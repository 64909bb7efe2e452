package dev.ktstr.runtime.cli.sched;

import dev.ktstr.runtime.kernel.KernelEnvironment;
import dev.ktstr.runtime.kernel.KernelException;
import dev.ktstr.runtime.kernel.KernelProvisioner;
import dev.ktstr.runtime.kernel.ProgressSink;
import dev.ktstr.runtime.kernel.ResolvedKernel;
import dev.ktstr.runtime.kernel.TerminalProgress;
import dev.ktstr.runtime.sched.build.SchedulerCache;
import java.io.PrintWriter;
import java.time.Clock;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ktstr scheduler}: build, list and clean the sched_ext schedulers ktstr compiles from the kernel's
 * own source package. The root {@code ktstr} command attaches it as a subcommand; {@link #main}
 * runs it on its own. The environment and progress sink are fields so tests can point it at a
 * temporary cache.
 */
@Command(name = "scheduler", mixinStandardHelpOptions = true,
        description = "Build, list and clean the sched_ext schedulers ktstr compiles from the kernel's own sources "
                + "(cache: <ktstr cache>/schedulers).",
        subcommands = {SchedulerBuildCommand.class, SchedulerListCommand.class, SchedulerCleanCommand.class,
            CommandLine.HelpCommand.class})
public final class SchedulerCommand implements Runnable {

    /** Exit status of a subcommand that failed. */
    public static final int EXIT_FAILED = 1;

    @Spec
    CommandSpec spec;

    private final KernelEnvironment env;
    private final ProgressSink progress;

    public SchedulerCommand() {
        this(KernelEnvironment.system(), TerminalProgress.stderr());
    }

    public SchedulerCommand(KernelEnvironment env, ProgressSink progress) {
        this.env = env;
        this.progress = progress;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new SchedulerCommand()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    SchedulerCache cache() {
        return new SchedulerCache(SchedulerCache.rootFor(env), env, Clock.systemUTC());
    }

    ProgressSink progress() {
        return progress;
    }

    /** The kernel the schedulers are built for: KTSTR_KERNEL, the cache, or the default fetched now. */
    ResolvedKernel kernel() throws KernelException {
        return KernelProvisioner.ensureDefault(progress);
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
