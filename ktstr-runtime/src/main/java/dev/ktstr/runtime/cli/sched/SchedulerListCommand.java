package dev.ktstr.runtime.cli.sched;

import dev.ktstr.runtime.sched.BuildableScheduler;
import dev.ktstr.runtime.sched.SchedulerException;
import dev.ktstr.runtime.sched.build.BuildMetadata;
import dev.ktstr.runtime.sched.build.SchedulerCache;
import java.io.PrintWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ktstr scheduler list}: the builds in the scheduler cache and what each holds. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the scheduler builds in the cache, newest first: key (source version and kernel BTF), "
                + "kernel release, schedulers with sizes, build time.")
final class SchedulerListCommand implements Callable<Integer> {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneOffset.UTC);

    @ParentCommand
    SchedulerCommand parent;

    @Option(names = "--json", description = "Print the entries' metadata as a JSON array")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = parent.out();
        try {
            SchedulerCache cache = parent.cache();
            List<SchedulerCache.Entry> entries = cache.list();
            if (json) {
                out.print(BuildMetadata.json(entries.stream().map(SchedulerCache.Entry::metadata).toList()));
                out.flush();
                return 0;
            }
            if (entries.isEmpty()) {
                out.println("no scheduler builds in " + cache.root() + "; build them with './ktstr scheduler build'");
                out.println("buildable: " + String.join(", ", BuildableScheduler.binaries()));
                out.flush();
                return 0;
            }
            for (SchedulerCache.Entry e : entries) {
                BuildMetadata m = e.metadata();
                out.printf(Locale.ROOT, "%s  kernel %s  %s  built %s in %.0f s%n", m.key(), m.kernelRelease(),
                        m.sourcePackage(), WHEN.format(m.builtAt()), m.buildSeconds());
                for (BuildMetadata.Binary b : m.schedulers()) {
                    String ops = BuildableScheduler.byBinary(b.name()).map(BuildableScheduler::opsName).orElse("?");
                    out.printf(Locale.ROOT, "  %-14s ops %-14s %7.1f MB%n", b.name(), ops, b.size() / 1e6);
                }
                m.notBuilt().forEach((n, why) -> out.printf(Locale.ROOT, "  %-14s not built: %s%n", n, why));
            }
            out.flush();
            return 0;
        } catch (SchedulerException e) {
            parent.err().println("ktstr scheduler list: " + e.getMessage());
            parent.err().flush();
            return SchedulerCommand.EXIT_FAILED;
        }
    }
}
