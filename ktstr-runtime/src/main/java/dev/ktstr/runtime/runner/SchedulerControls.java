package dev.ktstr.runtime.runner;

import dev.ktstr.runtime.kernel.ResolvedKernel;
import dev.ktstr.runtime.kernel.TerminalProgress;
import dev.ktstr.runtime.sched.SchedulerCatalog;
import dev.ktstr.runtime.sched.SchedulerException;
import dev.ktstr.runtime.sched.SchedulerSetup;
import java.util.List;
import java.util.Optional;

/** The {@link SchedulerControl} for a test: discovery happens here, before any VM boots. */
final class SchedulerControls {

    private SchedulerControls() {}

    /**
     * @throws SchedulerException a bad enum or flag, or a binary that discovery cannot find (the
     *     message names every place it searched)
     */
    static SchedulerControl forTest(TestDeclaration d, ResolvedKernel kernel) throws SchedulerException {
        Optional<SchedulerSetup> s = SchedulerSetup.forTest(d.test().scheduler(), d.variant().flags(),
                List.of(d.test().extraSchedArgs()), Optional.of(d.watchdogTimeout()), kernel, SchedulerCatalog.system(),
                TerminalProgress.stderr());
        return s.<SchedulerControl>map(SchedExtControl::new).orElse(SchedulerControl.KERNEL_DEFAULT);
    }
}
