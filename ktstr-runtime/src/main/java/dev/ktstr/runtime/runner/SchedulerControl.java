package dev.ktstr.runtime.runner;

import dev.ktstr.runtime.agent.GuestAgent;
import dev.ktstr.runtime.result.Outcome;
import dev.ktstr.runtime.scenario.engine.SchedulerWatch;
import dev.ktstr.runtime.sched.WatchdogControl;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The scheduler under test for one repetition: what to ship into the guest, starting it, watching it
 * during the scenario, and stopping it. The kernel's own scheduler is {@link #KERNEL_DEFAULT}; a
 * sched_ext scheduler is {@link SchedExtControl}.
 */
interface SchedulerControl {

    /** The host binary to ship into the guest, if a scheduler process runs. */
    Optional<Path> binary();

    /** Host files the scheduler needs in the guest (its config file). */
    List<String> includes();

    Map<String, String> sysctls();

    List<String> kargs();

    /** The merged scheduler command line, for results. */
    List<String> arguments();

    /** Starts it and waits until it is attached; a failure (attach failed, exited) ends the run. */
    Optional<Outcome.Failure> start(GuestAgent agent, Optional<WatchdogControl> watchdog);

    /** Liveness asked at step boundaries. */
    SchedulerWatch watch();

    /** Stops it and confirms it detached; failures it showed meanwhile (e.g. ejected). */
    List<Outcome.Failure> stop();

    /** It was attached from start to stop without failing. */
    boolean activeThroughout();

    /** What the run should record about the scheduler: its output, kernel lines, notes. */
    String evidence();

    /** EEVDF: nothing to start, nothing can fail. */
    SchedulerControl KERNEL_DEFAULT = new SchedulerControl() {
        @Override
        public Optional<Path> binary() {
            return Optional.empty();
        }

        @Override
        public List<String> includes() {
            return List.of();
        }

        @Override
        public Map<String, String> sysctls() {
            return Map.of();
        }

        @Override
        public List<String> kargs() {
            return List.of();
        }

        @Override
        public List<String> arguments() {
            return List.of();
        }

        @Override
        public Optional<Outcome.Failure> start(GuestAgent agent, Optional<WatchdogControl> watchdog) {
            return Optional.empty();
        }

        @Override
        public SchedulerWatch watch() {
            return SchedulerWatch.NONE;
        }

        @Override
        public List<Outcome.Failure> stop() {
            return List.of();
        }

        @Override
        public boolean activeThroughout() {
            return true;
        }

        @Override
        public String evidence() {
            return "";
        }
    };
}
