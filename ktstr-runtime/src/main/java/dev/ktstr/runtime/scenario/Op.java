package dev.ktstr.runtime.scenario;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One atomic change to the guest's cgroup world (ktstr facts §7 {@code Op}). Ops run in list order
 * at the start of a {@link Step} (before its setup), or again every interval under a
 * {@link HoldSpec.Loop}. Cgroups are named by their path relative to the agent's cgroup root; an
 * op that names a cgroup that does not exist at that point is a validation error.
 *
 * <p>Ownership: what a step creates (cgroups, workers, payloads) is torn down at the end of that
 * step; what the {@link Backdrop} creates lives for the whole scenario. Ops may change Backdrop
 * cgroups (cpusets, affinity, removal); moving Backdrop tasks into a step-local cgroup is refused,
 * because the step's teardown would strand them.
 */
public sealed interface Op {

    /** The op's kind as the stimulus timeline names it, e.g. {@code SetCpuset}. */
    default String kind() {
        return getClass().getSimpleName();
    }

    /** A short human form for the timeline, e.g. {@code cg_0 cpuset=disjoint(0/2)}. */
    String describe();

    static Op addCgroup(String name) {
        return new AddCgroup(name);
    }

    static Op removeCgroup(String cgroup) {
        return new RemoveCgroup(cgroup);
    }

    static Op setCpuset(String cgroup, CpusetSpec cpus) {
        return new SetCpuset(cgroup, cpus);
    }

    static Op clearCpuset(String cgroup) {
        return new ClearCpuset(cgroup);
    }

    static Op swapCpusets(String a, String b) {
        return new SwapCpusets(a, b);
    }

    static Op spawn(String cgroup, Work work) {
        return new Spawn(cgroup, work);
    }

    static Op stopCgroup(String cgroup) {
        return new StopCgroup(cgroup);
    }

    static Op setAffinity(String cgroup, AffinityKind affinity) {
        return new SetAffinity(cgroup, affinity);
    }

    static Op spawnHost(Work work) {
        return new SpawnHost(work);
    }

    static Op moveAllTasks(String from, String to) {
        return new MoveAllTasks(from, to);
    }

    static Op runPayload(String name, String cgroup, String... argv) {
        return new RunPayload(name, List.of(argv), cgroup);
    }

    static Op waitPayload(String name, Duration timeout) {
        return new WaitPayload(name, timeout);
    }

    static Op killPayload(String name) {
        return new KillPayload(name);
    }

    /** Creates an empty cgroup (no workers); its parent must exist. */
    record AddCgroup(String name) implements Op {
        public AddCgroup {
            CgroupDef.checkName(name);
        }

        @Override
        public String describe() {
            return name;
        }
    }

    /** Stops the cgroup's workers (collecting their reports), then removes it; it must have no child cgroups. */
    record RemoveCgroup(String cgroup) implements Op {
        public RemoveCgroup {
            CgroupDef.checkName(cgroup);
        }

        @Override
        public String describe() {
            return cgroup;
        }
    }

    /** Writes a cpuset ({@code cpuset.cpus}, and {@code cpuset.mems} = the CPUs' NUMA nodes). */
    record SetCpuset(String cgroup, CpusetSpec cpus) implements Op {
        public SetCpuset {
            CgroupDef.checkName(cgroup);
            Objects.requireNonNull(cpus, "cpus");
        }

        @Override
        public String describe() {
            return cgroup + " cpuset=" + cpus.describe();
        }
    }

    /** Clears a cpuset (the cgroup then inherits its parent's). */
    record ClearCpuset(String cgroup) implements Op {
        public ClearCpuset {
            CgroupDef.checkName(cgroup);
        }

        @Override
        public String describe() {
            return cgroup;
        }
    }

    /** Exchanges the current cpusets of two cgroups. */
    record SwapCpusets(String a, String b) implements Op {
        public SwapCpusets {
            CgroupDef.checkName(a);
            CgroupDef.checkName(b);
            if (a.equals(b)) {
                throw new IllegalArgumentException("SwapCpusets needs two different cgroups, got " + a + " twice");
            }
        }

        @Override
        public String describe() {
            return a + " <-> " + b;
        }
    }

    /** Starts a worker group in a cgroup (never affected by a work-type override). */
    record Spawn(String cgroup, Work work) implements Op {
        public Spawn {
            CgroupDef.checkName(cgroup);
            Objects.requireNonNull(work, "work");
        }

        @Override
        public String describe() {
            return cgroup + " " + work.describe();
        }
    }

    /** Stops every worker group in the cgroup and collects their reports; the cgroup stays. */
    record StopCgroup(String cgroup) implements Op {
        public StopCgroup {
            CgroupDef.checkName(cgroup);
        }

        @Override
        public String describe() {
            return cgroup;
        }
    }

    /** Re-pins every worker of the cgroup, resolved against its current cpuset. */
    record SetAffinity(String cgroup, AffinityKind affinity) implements Op {
        public SetAffinity {
            CgroupDef.checkName(cgroup);
            Objects.requireNonNull(affinity, "affinity");
        }

        @Override
        public String describe() {
            return cgroup + " affinity=" + affinity.describe();
        }
    }

    /** Starts a worker group in the agent's own (parent) cgroup: host-level contention outside the managed cgroups. */
    record SpawnHost(Work work) implements Op {
        public SpawnHost {
            Objects.requireNonNull(work, "work");
        }

        @Override
        public String describe() {
            return work.describe();
        }
    }

    /** Moves every task of {@code from} into {@code to}. */
    record MoveAllTasks(String from, String to) implements Op {
        public MoveAllTasks {
            CgroupDef.checkName(from);
            CgroupDef.checkName(to);
            if (from.equals(to)) {
                throw new IllegalArgumentException("MoveAllTasks from and to are both " + from);
            }
        }

        @Override
        public String describe() {
            return from + " -> " + to;
        }
    }

    /**
     * Starts a program in the guest in the background under {@code name}.
     *
     * @param name    unique among running payloads
     * @param argv    the program (a guest path, or looked up in the guest's PATH) and its arguments
     * @param cgroup  where it runs; {@code ""} is the agent's own cgroup
     */
    record RunPayload(String name, List<String> argv, String cgroup) implements Op {
        public RunPayload {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("a payload needs a name");
            }
            argv = List.copyOf(argv);
            if (argv.isEmpty()) {
                throw new IllegalArgumentException("payload '" + name + "' needs a program");
            }
            Objects.requireNonNull(cgroup, "cgroup");
            if (!cgroup.isEmpty()) {
                CgroupDef.checkName(cgroup);
            }
        }

        @Override
        public String describe() {
            return name + " " + String.join(" ", argv) + (cgroup.isEmpty() ? "" : " in " + cgroup);
        }
    }

    /** Waits for a payload to exit on its own; a non-zero exit, a signal or the timeout is a failure. */
    record WaitPayload(String name, Duration timeout) implements Op {
        public WaitPayload {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("WaitPayload timeout must be positive, got " + timeout);
            }
        }

        @Override
        public String describe() {
            return name + " (up to " + timeout.toMillis() + " ms)";
        }
    }

    /** Kills a payload (SIGKILL) and reaps it. */
    record KillPayload(String name) implements Op {
        public KillPayload {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String describe() {
            return name;
        }
    }
}
