package dev.ktstr.runtime.sched;

import java.time.Duration;

/**
 * The host-side way to change the sched_ext watchdog timeout of a running guest, for schedulers that
 * have no option for it: writing {@code scx_root->watchdog_timeout} (7.1+) or
 * {@code scx_watchdog_timeout} in guest kernel memory after the scheduler attached. The
 * implementation lives with the monitor ({@code dev.ktstr.kvm.introspect.WatchdogOverride}); the test
 * runner passes one to {@link SchedulerSession#start} when the engine exposes guest memory.
 */
@FunctionalInterface
public interface WatchdogControl {

    /**
     * Applies {@code timeout} to the scheduler that just attached.
     *
     * @return one line saying what was written where, for the run's notes
     * @throws Exception any failure; the session records it as a note and carries on with the
     *     kernel's own timeout
     */
    String apply(Duration timeout) throws Exception;
}
