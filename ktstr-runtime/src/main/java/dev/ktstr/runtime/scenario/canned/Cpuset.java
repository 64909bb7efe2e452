package dev.ktstr.runtime.scenario.canned;

import dev.ktstr.runtime.scenario.Backdrop;
import dev.ktstr.runtime.scenario.CgroupDef;
import dev.ktstr.runtime.scenario.CpusetSpec;
import dev.ktstr.runtime.scenario.HoldSpec;
import dev.ktstr.runtime.scenario.Op;
import dev.ktstr.runtime.scenario.Requirement;
import dev.ktstr.runtime.scenario.Scenario;
import dev.ktstr.runtime.scenario.Step;
import dev.ktstr.runtime.scenario.Work;
import dev.ktstr.runtime.scenario.WorkType;
import dev.ktstr.runtime.scenario.WorkerCount;

/** Cpuset mutation scenarios (ktstr {@code scenario/cpuset.rs}). */
public final class Cpuset {

    private Cpuset() {}

    /** Twice half the usable CPUs: enough workers to oversubscribe one half of a split. */
    static final WorkerCount HALF_USABLE_TIMES_TWO = WorkerCount.computed("2 x usable/2",
            (env, cpuset) -> Math.max(1, CpusetSpec.usableCpus(env.topology()).size() / 2 * 2));

    private static Backdrop twoDefault() {
        return Backdrop.EMPTY.withCgroups(CgroupDef.named("cg_0"), CgroupDef.named("cg_1"));
    }

    /**
     * {@code cgroup_cpuset_apply_midrun}: two unconstrained cgroups get disjoint halves of the CPUs
     * half-way through; their workers must migrate into them.
     */
    public static Scenario cgroupCpusetApplyMidrun() {
        return Scenario.of("cgroup_cpuset_apply_midrun", "Add cpusets to running cgroups",
                Step.hold(HoldSpec.frac(0.5)),
                Step.of(HoldSpec.frac(0.5), Op.setCpuset("cg_0", CpusetSpec.disjoint(0, 2)),
                        Op.setCpuset("cg_1", CpusetSpec.disjoint(1, 2))))
                .withBackdrop(twoDefault());
    }

    /** {@code cgroup_cpuset_clear_midrun}: two cgroups on disjoint halves have their cpusets cleared half-way. */
    public static Scenario cgroupCpusetClearMidrun() {
        return Scenario.of("cgroup_cpuset_clear_midrun", "Clear cpusets from running cgroups",
                Step.hold(HoldSpec.frac(0.5)),
                Step.of(HoldSpec.frac(0.5), Op.clearCpuset("cg_0"), Op.clearCpuset("cg_1")))
                .withBackdrop(Backdrop.EMPTY.withCgroups(
                        CgroupDef.named("cg_0").withCpuset(CpusetSpec.disjoint(0, 2)),
                        CgroupDef.named("cg_1").withCpuset(CpusetSpec.disjoint(1, 2))));
    }

    /** {@code cgroup_cpuset_resize}: three thirds with splits of 50/50, then 25/75, then 75/25. Needs 4 CPUs. */
    public static Scenario cgroupCpusetResize() {
        return Scenario.of("cgroup_cpuset_resize", "Shrink then grow cpusets on live cgroups",
                Step.hold(HoldSpec.frac(1.0 / 3)),
                Step.of(HoldSpec.frac(1.0 / 3), Op.setCpuset("cg_0", CpusetSpec.range(0, 0.25)),
                        Op.setCpuset("cg_1", CpusetSpec.range(0.25, 1))),
                Step.of(HoldSpec.frac(1.0 / 3), Op.setCpuset("cg_0", CpusetSpec.range(0, 0.75)),
                        Op.setCpuset("cg_1", CpusetSpec.range(0.75, 1))))
                .withBackdrop(Backdrop.EMPTY.withCgroups(
                        CgroupDef.named("cg_0").withCpuset(CpusetSpec.range(0, 0.5)),
                        CgroupDef.named("cg_1").withCpuset(CpusetSpec.range(0.5, 1))))
                .requiring(Requirement.minCpus(4));
    }

    /** {@code cgroup_cpuset_swap_disjoint}: two cgroups on disjoint halves swap them, then swap back. Needs 8 CPUs. */
    public static Scenario cgroupCpusetSwapDisjoint() {
        return Scenario.of("cgroup_cpuset_swap_disjoint", "Swap cpusets to non-overlapping ranges",
                Step.hold(HoldSpec.frac(1.0 / 3)),
                Step.of(HoldSpec.frac(1.0 / 3), Op.swapCpusets("cg_0", "cg_1")),
                Step.of(HoldSpec.frac(1.0 / 3), Op.swapCpusets("cg_0", "cg_1")))
                .withBackdrop(Backdrop.EMPTY.withCgroups(
                        CgroupDef.named("cg_0").withCpuset(CpusetSpec.range(0, 0.5)),
                        CgroupDef.named("cg_1").withCpuset(CpusetSpec.range(0.5, 1))))
                .requiring(Requirement.minCpus(8));
    }

    /**
     * {@code cgroup_cpuset_workload_imbalance}: disjoint halves, one oversubscribed with twice as
     * many CpuSpin workers as it has CPUs, the other running bursty (50/100 ms) workers.
     */
    public static Scenario cgroupCpusetWorkloadImbalance() {
        return Scenario.of("cgroup_cpuset_workload_imbalance", "Imbalanced load with cpuset-constrained cgroups",
                Step.withDefs(HoldSpec.FULL,
                        CgroupDef.named("cg_0").withCpuset(CpusetSpec.disjoint(0, 2)).workers(HALF_USABLE_TIMES_TWO),
                        CgroupDef.named("cg_1").withCpuset(CpusetSpec.disjoint(1, 2))
                                .workType(WorkType.Bursty.ms(50, 100))));
    }

    /**
     * {@code cgroup_cpuset_change_imbalance}: an oversubscribed half and a light bursty (30/100 ms)
     * half; the light cgroup's cpuset is narrowed to a sliver (a sixteenth of the usable CPUs, at
     * least one) for the middle third, then widened back. Needs 4 CPUs.
     */
    public static Scenario cgroupCpusetChangeImbalance() {
        return Scenario.of("cgroup_cpuset_change_imbalance", "Cpuset resize during imbalanced load",
                Step.hold(HoldSpec.frac(1.0 / 3)),
                Step.of(HoldSpec.frac(1.0 / 3), Op.setCpuset("cg_1", CpusetSpec.range(0.5, 0.5625))),
                Step.of(HoldSpec.frac(1.0 / 3), Op.setCpuset("cg_1", CpusetSpec.range(0.5, 1))))
                .withBackdrop(Backdrop.EMPTY.withCgroups(
                        CgroupDef.named("cg_0").withCpuset(CpusetSpec.range(0, 0.5)).workers(HALF_USABLE_TIMES_TWO),
                        CgroupDef.named("cg_1").withCpuset(CpusetSpec.range(0.5, 1)).workers(2)
                                .workType(WorkType.Bursty.ms(30, 100))))
                .requiring(Requirement.minCpus(4));
    }

    /**
     * {@code cgroup_cpuset_numa_swap}: two cgroups each confined to one NUMA node (CPUs and memory)
     * exchange nodes half-way, so their tasks and (with cgroup v2's memory migration) their pages
     * cross nodes. Needs 2 NUMA nodes.
     */
    public static Scenario cgroupCpusetNumaSwap() {
        return Scenario.of("cgroup_cpuset_numa_swap", "NUMA-scoped cpusets, swap mid-run",
                Step.hold(HoldSpec.frac(0.5)),
                Step.of(HoldSpec.frac(0.5), Op.swapCpusets("cg_0", "cg_1")))
                .withBackdrop(Backdrop.EMPTY.withCgroups(
                        CgroupDef.named("cg_0").withCpuset(CpusetSpec.numa(0)),
                        CgroupDef.named("cg_1").withCpuset(CpusetSpec.numa(1))))
                .requiring(Requirement.minNumaNodes(2));
    }

    /**
     * {@code cgroup_cpuset_load_shift}: disjoint halves, 16 CpuSpin workers against one YieldHeavy
     * worker; half-way, 16 more CpuSpin workers join the light half for the rest of the run.
     */
    public static Scenario cgroupCpusetLoadShift() {
        return Scenario.of("cgroup_cpuset_load_shift", "Imbalanced load with cpusets, then add heavy",
                Step.hold(HoldSpec.frac(0.5)),
                Step.of(HoldSpec.frac(0.5), Op.spawn("cg_1", Work.defaults().workers(16))))
                .withBackdrop(Backdrop.EMPTY.withCgroups(
                        CgroupDef.named("cg_0").withCpuset(CpusetSpec.disjoint(0, 2)).workers(16),
                        CgroupDef.named("cg_1").withCpuset(CpusetSpec.disjoint(1, 2)).workers(1)
                                .workType(WorkType.YIELD_HEAVY)));
    }
}
