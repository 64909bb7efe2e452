package dev.ktstr.runtime.runner;

import dev.ktstr.runtime.kernel.ResolvedKernel;

/** The {@link SchedulerControl} for a test's scheduler declaration. */
final class SchedulerControls {

    private SchedulerControls() {}

    static SchedulerControl forTest(TestDeclaration d, ResolvedKernel kernel) {
        if (d.scheduler().isKernelDefault()) {
            return SchedulerControl.KERNEL_DEFAULT;
        }
        throw new UnsupportedOperationException("sched_ext schedulers: wired in with the scheduler module");
    }
}
