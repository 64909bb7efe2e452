package dev.ktstr.runtime.cli.sched;

import dev.ktstr.runtime.kernel.KernelException;
import dev.ktstr.runtime.kernel.ResolvedKernel;
import dev.ktstr.runtime.sched.SchedulerException;
import dev.ktstr.runtime.sched.build.BuildMetadata;
import dev.ktstr.runtime.sched.build.SchedulerCache;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ktstr scheduler build}: compile the schedulers for the kernel tests boot. */
@Command(name = "build", mixinStandardHelpOptions = true,
        description = {"Build scx_simple, scx_flatcg, scx_central, scx_userland, scx_pair, scx_sdt, scx_cpu0, "
                + "scx_qmap (when it compiles) and ktstr_fixture, statically linked, for the kernel tests boot "
                + "(KTSTR_KERNEL, else the newest cached, else the default fetched now).",
            "Sources: Debian's linux-source-<series> of the kernel's suite, through a private apt session on this "
                + "machine's mirror; only tools/sched_ext's needs are extracted and kept for later builds."})
final class SchedulerBuildCommand implements Callable<Integer> {

    @ParentCommand
    SchedulerCommand parent;

    @Option(names = "--force", description = "Build again even if a valid build exists")
    boolean force;

    @Option(names = "--refresh-source", description = "Ask apt for the newest source package even if one is cached")
    boolean refreshSource;

    @Override
    public Integer call() {
        try {
            ResolvedKernel kernel = parent.kernel();
            SchedulerCache.Entry e = parent.cache().build(kernel, parent.progress(), force, refreshSource);
            BuildMetadata m = e.metadata();
            parent.out().println(e.key() + "  " + e.dir());
            for (BuildMetadata.Binary b : m.schedulers()) {
                parent.out().printf("  %-14s %9d bytes  %s%n", b.name(), b.size(), e.binary(b.name()));
            }
            m.notBuilt().forEach((n, why) -> parent.out().printf("  %-14s not built: %s%n", n, why));
            parent.out().flush();
            return 0;
        } catch (KernelException | SchedulerException e) {
            parent.err().println("ktstr scheduler build: " + e.getMessage());
            parent.err().flush();
            return SchedulerCommand.EXIT_FAILED;
        }
    }
}
