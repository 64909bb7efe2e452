package dev.ktstr.runtime.cli;

import dev.ktstr.runtime.cli.demo.DemoCommand;
import dev.ktstr.runtime.cli.kernel.KernelCommand;
import dev.ktstr.runtime.cli.scenario.ListCommand;
import dev.ktstr.runtime.cli.scenario.RunCommand;
import dev.ktstr.runtime.cli.scenario.ShowThresholdsCommand;
import dev.ktstr.runtime.cli.sched.SchedulerCommand;
import dev.ktstr.runtime.cli.sched.VerifierCommand;
import dev.ktstr.runtime.cli.stats.StatsCommand;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The root {@code ktstr} command. */
@Command(name = "ktstr", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Test harness for Linux process schedulers: real kernels in VMs of exact topology, "
                + "sched_ext schedulers under every flag combination, statistical regression detection.",
        subcommands = {
            DemoCommand.class,
            RunCommand.class,
            ListCommand.class,
            ShowThresholdsCommand.class,
            ShellCommand.class,
            KernelCommand.class,
            SchedulerCommand.class,
            VerifierCommand.class,
            StatsCommand.class,
            VmCommand.class,
            AutoComplete.GenerateCompletion.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (tests execute it without exiting the JVM). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Version from the jar manifest, or "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"ktstr " + (v == null ? "(development build)" : v)};
        }
    }
}
