package dev.ktstr.runtime.scenario;

import dev.ktstr.topology.Topology;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a scenario is resolved against: the VM's topology, the scenario duration, the default worker
 * count per cgroup and an optional work-type override. {@link dev.ktstr.runtime.Ctx} is one; setup
 * factories ({@link Step.Setup.Factory}) receive one.
 */
public interface ScenarioEnv {

    /** The exact topology of the guest. */
    Topology topology();

    /** The scenario duration: {@link HoldSpec.Frac} holds are fractions of it. */
    Duration duration();

    /** Workers per cgroup when a {@link Work} does not say. */
    int workersPerCgroup();

    /** The work-type override of a gauntlet run or {@code ktstr run --work-type}, if any. */
    default Optional<WorkTypeOverride> workTypeOverride() {
        return Optional.empty();
    }

    /** A plain environment without override. */
    static ScenarioEnv of(Topology topology, Duration duration, int workersPerCgroup) {
        return new Values(topology, duration, workersPerCgroup, null);
    }

    /** A plain environment with an override ({@code null} for none). */
    static ScenarioEnv of(Topology topology, Duration duration, int workersPerCgroup, WorkTypeOverride override) {
        return new Values(topology, duration, workersPerCgroup, override);
    }

    /** The environment {@link Scenario#validate(Topology)} uses: 2 s, 2 workers per cgroup (the test defaults). */
    static ScenarioEnv defaults(Topology topology) {
        return of(topology, Duration.ofSeconds(2), 2);
    }

    /** The plain value form. */
    record Values(Topology topology, Duration duration, int workersPerCgroup, WorkTypeOverride override)
            implements ScenarioEnv {

        public Values {
            Objects.requireNonNull(topology, "topology");
            Objects.requireNonNull(duration, "duration");
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("scenario duration must be positive, got " + duration);
            }
            if (workersPerCgroup < 1) {
                throw new IllegalArgumentException("workersPerCgroup must be at least 1, got " + workersPerCgroup);
            }
        }

        @Override
        public Optional<WorkTypeOverride> workTypeOverride() {
            return Optional.ofNullable(override);
        }
    }
}
