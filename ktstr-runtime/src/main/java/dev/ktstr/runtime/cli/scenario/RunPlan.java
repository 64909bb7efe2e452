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
import java.util.Optional;

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
        /**
         * A VM of exactly this topology ({@code label}: the preset name or the rendered topology),
         * running a sched_ext scheduler or the kernel's own.
         */
        record Vm(String label, Topology topology, Optional<Scheduler> scheduler) implements Target {
            public Vm {
                Objects.requireNonNull(scheduler, "scheduler");
            }

            /** Under the kernel's own scheduler. */
            public Vm(String label, Topology topology) {
                this(label, topology, Optional.empty());
            }
        }

        /**
         * The host itself: the agent as a child process, cgroups under {@code /sys/fs/cgroup/ktstr-<pid>},
         * the host's topology and whatever scheduler the host runs.
         */
        record BareMetal() implements Target {}
    }

    /**
     * The sched_ext scheduler a VM runs ({@code --scheduler BIN [--flags a,b]}), found and started
     * when the VM boots.
     *
     * @param binary   a path, or a name found like {@code @Scheduler(binary)} is
     * @param flags    the flag names when ktstr knows the binary's flags (the fixture's built-in
     *                 flags), else empty
     * @param args     its arguments: the named flags' arguments, or the literal {@code --flags}
     * @param watchdog the sched_ext watchdog timeout for schedulers that take one as an option
     */
    public record Scheduler(String binary, List<String> flags, List<String> args, Duration watchdog) {
        public Scheduler {
            Objects.requireNonNull(binary, "binary");
            flags = List.copyOf(flags);
            args = List.copyOf(args);
            Objects.requireNonNull(watchdog, "watchdog");
        }

        /** {@code BIN} or {@code BIN [a+b]}, for humans. */
        public String describe() {
            return binary + (flags.isEmpty() ? args.isEmpty() ? "" : " " + String.join(" ", args)
                    : " [" + String.join("+", flags) + "]");
        }
    }
}
