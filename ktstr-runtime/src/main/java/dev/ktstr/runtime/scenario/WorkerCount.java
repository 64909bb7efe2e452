package dev.ktstr.runtime.scenario;

import dev.ktstr.topology.CpuSet;
import java.util.Objects;
import java.util.function.ToIntBiFunction;

/**
 * How many workers a {@link Work} group has, resolved at setup against the run's
 * {@link ScenarioEnv} and the cgroup's resolved cpuset, so one scenario scales across topologies.
 */
public sealed interface WorkerCount {

    /** The run's {@link ScenarioEnv#workersPerCgroup()}. */
    WorkerCount DEFAULT = new PerCgroupDefault();

    static WorkerCount fixed(int n) {
        return new Fixed(n);
    }

    /** {@code ceil(totalCpus × factor)}, at least 1. */
    static WorkerCount perCpu(double factor) {
        return new PerCpu(factor);
    }

    /** {@code ceil(|cpuset| × factor)} (all CPUs when the cgroup has no cpuset), at least 1. */
    static WorkerCount perCpusetCpu(double factor) {
        return new PerCpusetCpu(factor);
    }

    /** Computed by a function of the environment and the cgroup's cpuset ({@code null} = none). */
    static WorkerCount computed(String description, ToIntBiFunction<ScenarioEnv, CpuSet> count) {
        return new Computed(description, count);
    }

    /** {@code base} rounded down to a multiple of the work type's group size, at least one group. */
    static WorkerCount wholeGroups(WorkerCount base) {
        return new WholeGroups(base);
    }

    /**
     * The count for a group of a type with {@code groupSize}, in a cgroup whose resolved cpuset is
     * {@code cpuset} ({@code null} when none). May be 0 or not a multiple of the group size; the
     * validator reports those.
     */
    int resolve(ScenarioEnv env, CpuSet cpuset, int groupSize);

    /** A short human form. */
    String describe();

    /** A fixed count, at least 1. */
    record Fixed(int n) implements WorkerCount {
        public Fixed {
            if (n < 1) {
                throw new IllegalArgumentException("a worker group needs at least 1 worker, got " + n);
            }
        }

        @Override
        public int resolve(ScenarioEnv env, CpuSet cpuset, int groupSize) {
            return n;
        }

        @Override
        public String describe() {
            return Integer.toString(n);
        }
    }

    /** The run's default per cgroup. */
    record PerCgroupDefault() implements WorkerCount {
        @Override
        public int resolve(ScenarioEnv env, CpuSet cpuset, int groupSize) {
            return env.workersPerCgroup();
        }

        @Override
        public String describe() {
            return "default";
        }
    }

    /** Scales with the total CPU count. */
    record PerCpu(double factor) implements WorkerCount {
        public PerCpu {
            if (!(factor > 0) || Double.isInfinite(factor)) {
                throw new IllegalArgumentException("per-CPU factor must be positive, got " + factor);
            }
        }

        @Override
        public int resolve(ScenarioEnv env, CpuSet cpuset, int groupSize) {
            return Math.max(1, (int) Math.ceil(env.topology().totalCpus() * factor));
        }

        @Override
        public String describe() {
            return factor == 1.0 ? "1/cpu" : factor + "/cpu";
        }
    }

    /** Scales with the cgroup's cpuset. */
    record PerCpusetCpu(double factor) implements WorkerCount {
        public PerCpusetCpu {
            if (!(factor > 0) || Double.isInfinite(factor)) {
                throw new IllegalArgumentException("per-cpuset-CPU factor must be positive, got " + factor);
            }
        }

        @Override
        public int resolve(ScenarioEnv env, CpuSet cpuset, int groupSize) {
            int cpus = cpuset == null ? env.topology().totalCpus() : cpuset.size();
            return Math.max(1, (int) Math.ceil(cpus * factor));
        }

        @Override
        public String describe() {
            return factor + "/cpuset-cpu";
        }
    }

    /** A function of the environment, described for listings. */
    record Computed(String description, ToIntBiFunction<ScenarioEnv, CpuSet> count) implements WorkerCount {
        public Computed {
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(count, "count");
        }

        @Override
        public int resolve(ScenarioEnv env, CpuSet cpuset, int groupSize) {
            return count.applyAsInt(env, cpuset);
        }

        @Override
        public String describe() {
            return description;
        }
    }

    /** Another count rounded down to whole groups. */
    record WholeGroups(WorkerCount base) implements WorkerCount {
        public WholeGroups {
            Objects.requireNonNull(base, "base");
        }

        @Override
        public int resolve(ScenarioEnv env, CpuSet cpuset, int groupSize) {
            int n = base.resolve(env, cpuset, groupSize);
            return Math.max(1, n / groupSize) * groupSize;
        }

        @Override
        public String describe() {
            return base.describe() + " in whole groups";
        }
    }
}
