package dev.ktstr.runtime.cli.sched;

import dev.ktstr.runtime.sched.SchedulerException;
import dev.ktstr.runtime.sched.build.SchedulerCache;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ktstr scheduler clean}: removes the builds of other fixture sources (each edit of
 * {@code schedulers/} builds a new entry beside the old ones), or every build with {@code --all}.
 * The extracted kernel sources stay, so a rebuild does not download again.
 */
@Command(name = "clean", mixinStandardHelpOptions = true,
        description = "Remove scheduler builds of other fixture sources than this ktstr's (or all builds with --all); "
                + "the cached kernel sources stay.")
final class SchedulerCleanCommand implements Callable<Integer> {

    @ParentCommand
    SchedulerCommand parent;

    @Option(names = "--all", description = "Remove every build, also the current one")
    boolean all;

    @Override
    public Integer call() {
        PrintWriter out = parent.out();
        try {
            List<String> removed = parent.cache().clean(all);
            removed.forEach(k -> out.println("removed " + k));
            out.println(removed.size() + " build" + (removed.size() == 1 ? "" : "s") + " removed");
            out.flush();
            return 0;
        } catch (SchedulerException e) {
            parent.err().println("ktstr scheduler clean: " + e.getMessage());
            parent.err().flush();
            return SchedulerCommand.EXIT_FAILED;
        }
    }
}
