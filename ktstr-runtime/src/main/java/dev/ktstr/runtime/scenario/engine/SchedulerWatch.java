package dev.ktstr.runtime.scenario.engine;

import dev.ktstr.runtime.result.Outcome;
import java.util.Optional;

/**
 * The runner's view of the scheduler's health, asked at step boundaries (from the second step on,
 * and once after the last step): a failure such as {@code SchedulerExited} or
 * {@code SchedulerEjected} ends the scenario early (its workers are still collected and cleaned up).
 */
@FunctionalInterface
public interface SchedulerWatch {

    /** Never reports a problem (the kernel's default scheduler, or no scheduler process). */
    SchedulerWatch NONE = Optional::empty;

    /** The scheduler's failure, if it has failed; must not block for long. */
    Optional<Outcome.Failure> check();
}
