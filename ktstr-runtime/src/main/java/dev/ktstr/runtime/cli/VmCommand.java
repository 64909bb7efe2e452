package dev.ktstr.runtime.cli;

import dev.ktstr.kvm.vmm.FirmwareDump;
import dev.ktstr.topology.Topology;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ktstr vm}: what the own VMM would present to a guest. */
@Command(name = "vm", mixinStandardHelpOptions = true, description = "Inspect the own VMM's virtual machine.",
        subcommands = {VmCommand.Firmware.class, CommandLine.HelpCommand.class})
public final class VmCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code ktstr vm firmware --topology 2n4l2c2t --out DIR}. */
    @Command(name = "firmware", mixinStandardHelpOptions = true,
            description = "Write the ACPI tables (one .dat per table, named by signature) and a summary of each "
                    + "vCPU's CPUID leaves for a topology, as a guest of the own VMM would see them.")
    static final class Firmware implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--topology", required = true, converter = TopologyOption.class,
                description = "Preset name, NnLlCcTt or n,l,c,t.")
        Topology topology;

        @Option(names = "--out", required = true, description = "Directory to write into (created if missing).")
        Path out;

        @Override
        public Integer call() throws Exception {
            FirmwareDump.write(topology, out);
            spec.commandLine().getOut().println("wrote the firmware of " + topology.render() + " to " + out);
            return 0;
        }
    }
}
