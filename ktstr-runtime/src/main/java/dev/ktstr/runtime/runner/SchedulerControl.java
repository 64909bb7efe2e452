package dev.ktstr.runtime.runner;

import dev.ktstr.runtime.agent.GuestAgent;
import dev.ktstr.runtime.result.Outcome;
import dev.ktstr.runtime.scenario.engine.SchedulerWatch;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The scheduler under test for one repetition: what to ship into the guest, starting it, watching it
 * during the scenario, and stopping it. The kernel's own scheduler is {@link #KERNEL_DEFAULT}.
 */
public interface SchedulerControl {

    /** The host binary to ship into the guest, if a scheduler process runs. */
    Optional<Path> binary();

    /** Starts it and waits until it is attached; a failure (attach failed, exited) ends the run. */
    Optional<Outcome.Failure> start(GuestAgent agent);

    /** Liveness asked at step boundaries. */
    SchedulerWatch watch();

    /** Stops it and confirms it detached; failures it showed meanwhile (e.g. ejected). */
    List<Outcome.Failure> stop(GuestAgent agent);

    /** It was attached from start to stop. */
    boolean activeThroughout();

    /** The scheduler's own output, for the failure report. */
    String output();

    /** EEVDF: nothing to start, nothing can fail. */
    SchedulerControl KERNEL_DEFAULT = new SchedulerControl() {
        @Override
        public Optional<Path> binary() {
            return Optional.empty();
        }

        @Override
        public Optional<Outcome.Failure> start(GuestAgent agent) {
            return Optional.empty();
        }

        @Override
        public SchedulerWatch watch() {
            return SchedulerWatch.NONE;
        }

        @Override
        public List<Outcome.Failure> stop(GuestAgent agent) {
            return List.of();
        }

        @Override
        public boolean activeThroughout() {
            return true;
        }

        @Override
        public String output() {
            return "";
        }
    };
}
