package dev.ktstr.runtime.cli.scenario;

import dev.ktstr.runtime.scenario.ScenarioEnv;
import dev.ktstr.runtime.scenario.WorkType;
import dev.ktstr.runtime.scenario.WorkTypeOverride;
import dev.ktstr.runtime.scenario.canned.CatalogEntry;
import dev.ktstr.topology.Topology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A validated {@code ktstr run}: which catalog scenarios, where, and how.
 *
 * @param entries           the scenarios, in catalog order
 * @param target            a VM of a topology, or bare metal (the host)
 * @param duration          scenario duration
 * @param workersPerCgroup  default workers per cgroup
 * @param workType          the work-type override, or {@code null}
 * @param activeFlags       the built-in flags the running scheduler has (selection only)
 * @param json              print JSON instead of text
 * @param outDir            where to write one result file per run, or {@code null}
 * @param repeat            how many times each scenario runs
 */
public record RunPlan(List<CatalogEntry> entries, Target target, Duration duration, int workersPerCgroup,
        WorkType workType, List<String> activeFlags, boolean json, Path outDir, int repeat) {

    public RunPlan {
        entries = List.copyOf(entries);
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(duration, "duration");
        activeFlags = List.copyOf(activeFlags);
        if (repeat < 1) {
            throw new IllegalArgumentException("repeat must be at least 1, got " + repeat);
        }
    }

    /** The environment a scenario runs in on {@code topology}; the override replaces CpuSpin and swappable groups. */
    public ScenarioEnv env(Topology topology) {
        WorkTypeOverride o = workType == null ? null
                : new WorkTypeOverride(workType, WorkTypeOverride.Scope.SWAPPABLE_AND_CPU_SPIN);
        return ScenarioEnv.of(topology, duration, workersPerCgroup, o);
    }

    /** Where scenarios run. */
    public sealed interface Target {
        /** A VM of exactly this topology ({@code label}: the preset name or the rendered topology). */
        record Vm(String label, Topology topology) implements Target {}

        /**
         * The host itself: the agent as a child process, cgroups under {@code /sys/fs/cgroup/ktstr-<pid>},
         * the host's topology and whatever scheduler the host runs.
         */
        record BareMetal() implements Target {}
    }
}
