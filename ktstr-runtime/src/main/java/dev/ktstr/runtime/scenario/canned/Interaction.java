package dev.ktstr.runtime.scenario.canned;

import dev.ktstr.runtime.scenario.Backdrop;
import dev.ktstr.runtime.scenario.CgroupDef;
import dev.ktstr.runtime.scenario.CpusetSpec;
import dev.ktstr.runtime.scenario.HoldSpec;
import dev.ktstr.runtime.scenario.Op;
import dev.ktstr.runtime.scenario.Requirement;
import dev.ktstr.runtime.scenario.Scenario;
import dev.ktstr.runtime.scenario.Step;
import dev.ktstr.runtime.scenario.WorkType;
import dev.ktstr.runtime.scenario.WorkerCount;
import java.util.ArrayList;
import java.util.List;

/**
 * Cross-cgroup interaction scenarios (ktstr {@code scenario/interaction.rs}): load imbalance,
 * cpusets and task moves combined, several of them aimed at schedulers without a cgroup controller
 * ({@code no_ctrl}).
 */
public final class Interaction {

    private Interaction() {}

    /** Twice the run's default per-cgroup count. */
    static final WorkerCount TWICE_DEFAULT = WorkerCount.computed("2 x default",
            (env, cpuset) -> 2 * env.workersPerCgroup());

    private static CgroupDef light(String name) {
        return CgroupDef.named(name).workers(1).workType(WorkType.YIELD_HEAVY);
    }

    /** {@code cgroup_add_load_imbalance}: two light cgroups (1 YieldHeavy each) throughout; a 16-worker CpuSpin cgroup joins for the second half. */
    public static Scenario cgroupAddLoadImbalance() {
        return Scenario.of("cgroup_add_load_imbalance", "Light cgroups then heavy added mid-run",
                Step.hold(HoldSpec.frac(0.5)), Step.withDefs(HoldSpec.frac(0.5), CgroupDef.named("cg_2").workers(16)))
                .withBackdrop(Backdrop.EMPTY.withCgroups(light("cg_0"), light("cg_1")));
    }

    /** {@code cgroup_imbalance_mixed_workload}: a heavy cgroup (8 CpuSpin), a bursty one (100/50 ms) and an IoSync one. */
    public static Scenario cgroupImbalanceMixedWorkload() {
        return Scenario.of("cgroup_imbalance_mixed_workload", "Heavy + bursty + IO cgroups",
                Step.withDefs(HoldSpec.FULL, CgroupDef.named("cg_0").workers(8),
                        CgroupDef.named("cg_1").workType(WorkType.Bursty.ms(100, 50)),
                        CgroupDef.named("cg_2").workType(WorkType.IO_SYNC)));
    }

    /**
     * {@code cgroup_load_oscillation}: four quarters, each with fresh {@code cg_0}/{@code cg_1}
     * where one is heavy (twice the default count of CpuSpin) and the other light (1 YieldHeavy),
     * the roles swapping every quarter.
     */
    public static Scenario cgroupLoadOscillation() {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            CgroupDef heavy = CgroupDef.named(i % 2 == 0 ? "cg_0" : "cg_1").workers(TWICE_DEFAULT);
            CgroupDef lightOne = light(i % 2 == 0 ? "cg_1" : "cg_0");
            steps.add(Step.withDefs(HoldSpec.frac(0.25), heavy, lightOne));
        }
        return Scenario.of("cgroup_load_oscillation", "Alternating heavy/light cgroups", steps);
    }

    /** {@code cgroup_4way_load_imbalance}: four cgroups of 16, 1 (YieldHeavy), 8 and 4 workers. Needs 5 CPUs. */
    public static Scenario cgroup4wayLoadImbalance() {
        return Scenario.of("cgroup_4way_load_imbalance", "4 cgroups with asymmetric demand",
                Step.withDefs(HoldSpec.FULL, CgroupDef.named("cg_0").workers(16), light("cg_1"),
                        CgroupDef.named("cg_2").workers(8), CgroupDef.named("cg_3").workers(4)))
                .requiring(Requirement.minCpus(5));
    }

    /** {@code cgroup_cpuset_imbalance_combined}: disjoint halves, one oversubscribed 2:1 with CpuSpin, the other 2 Bursty 50/150 ms. */
    public static Scenario cgroupCpusetImbalanceCombined() {
        return Scenario.of("cgroup_cpuset_imbalance_combined",
                "Imbalanced load with cpusets, work conservation + rebalancing",
                Step.withDefs(HoldSpec.FULL,
                        CgroupDef.named("cg_0").withCpuset(CpusetSpec.disjoint(0, 2)).workers(Cpuset.HALF_USABLE_TIMES_TWO),
                        CgroupDef.named("cg_1").withCpuset(CpusetSpec.disjoint(1, 2)).workers(2)
                                .workType(WorkType.Bursty.ms(50, 150))));
    }

    /**
     * {@code cgroup_cpuset_overlap_imbalance_combined}: three cgroups on thirds overlapping by half a
     * chunk: 12 CpuSpin, 2 Bursty 50/100 ms, 1 YieldHeavy.
     */
    public static Scenario cgroupCpusetOverlapImbalanceCombined() {
        return Scenario.of("cgroup_cpuset_overlap_imbalance_combined",
                "Imbalanced load with overlapping cpusets, work conservation + rebalancing",
                Step.withDefs(HoldSpec.FULL,
                        CgroupDef.named("cg_0").withCpuset(CpusetSpec.overlap(0, 3, 0.5)).workers(12),
                        CgroupDef.named("cg_1").withCpuset(CpusetSpec.overlap(1, 3, 0.5)).workers(2)
                                .workType(WorkType.Bursty.ms(50, 100)),
                        light("cg_2").withCpuset(CpusetSpec.overlap(2, 3, 0.5))));
    }

    /**
     * {@code cgroup_no_ctrl_task_migration}: {@code cg_0} runs throughout; the workers of
     * {@code cg_mobile} are moved to the empty {@code cg_1} and back nine times, a tenth of the run
     * apart (the first and last twentieth hold still).
     */
    public static Scenario cgroupNoCtrlTaskMigration() {
        List<Step> steps = new ArrayList<>();
        steps.add(Step.hold(HoldSpec.frac(0.05)));
        for (int i = 0; i < 9; i++) {
            steps.add(i % 2 == 0 ? Step.of(HoldSpec.frac(0.1), Op.moveAllTasks("cg_mobile", "cg_1"))
                    : Step.of(HoldSpec.frac(0.1), Op.moveAllTasks("cg_1", "cg_mobile")));
        }
        steps.add(Step.hold(HoldSpec.frac(0.05)));
        return Scenario.of("cgroup_no_ctrl_task_migration", "Rapid per-task moves without controller", steps)
                .withBackdrop(Backdrop.EMPTY.withCgroups(CgroupDef.named("cg_0"), CgroupDef.named("cg_mobile"))
                        .withOps(Op.addCgroup("cg_1")));
    }

    /**
     * {@code cgroup_no_ctrl_imbalance}: a heavy cgroup (6 CpuSpin), a light bursty one (2 × 50/100
     * ms), and 2 mobile workers moved between {@code cg_mobile} and the empty {@code cg_overflow}
     * five times, a sixth of the run apart.
     */
    public static Scenario cgroupNoCtrlImbalance() {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            steps.add(i % 2 == 0 ? Step.of(HoldSpec.frac(1.0 / 6), Op.moveAllTasks("cg_mobile", "cg_overflow"))
                    : Step.of(HoldSpec.frac(1.0 / 6), Op.moveAllTasks("cg_overflow", "cg_mobile")));
        }
        steps.add(Step.hold(HoldSpec.frac(1.0 / 6)));
        return Scenario.of("cgroup_no_ctrl_imbalance", "Per-task moves during imbalanced load without controller",
                steps).withBackdrop(Backdrop.EMPTY.withCgroups(CgroupDef.named("cg_heavy").workers(6),
                        CgroupDef.named("cg_mobile").workers(2),
                        CgroupDef.named("cg_light").workers(2).workType(WorkType.Bursty.ms(50, 100)))
                        .withOps(Op.addCgroup("cg_overflow")));
    }

    /** {@code cgroup_no_ctrl_cpuset_change}: disjoint halves cleared half-way (for schedulers without a cgroup controller). */
    public static Scenario cgroupNoCtrlCpusetChange() {
        return Cpuset.cgroupCpusetClearMidrun().withName("cgroup_no_ctrl_cpuset_change")
                .withDescription("Cpuset add/clear without controller");
    }

    /** {@code cgroup_no_ctrl_load_imbalance}: 16 CpuSpin workers against 1 YieldHeavy (for schedulers without a cgroup controller). */
    public static Scenario cgroupNoCtrlLoadImbalance() {
        return Scenario.of("cgroup_no_ctrl_load_imbalance", "Heavy + light cgroups without controller",
                Step.withDefs(HoldSpec.FULL, CgroupDef.named("cg_0").workers(16), light("cg_1")));
    }

    /**
     * {@code cgroup_io_compute_imbalance}: an IoSync cgroup with one worker per CPU (mostly asleep
     * in I/O, freeing CPUs) beside a compute cgroup with the default count of CpuSpin workers.
     */
    public static Scenario cgroupIoComputeImbalance() {
        return Scenario.of("cgroup_io_compute_imbalance", "IO cgroup frees CPUs for compute cgroup",
                Step.withDefs(HoldSpec.FULL,
                        CgroupDef.named("cg_0").workType(WorkType.IO_SYNC).workers(WorkerCount.perCpu(1.0)),
                        CgroupDef.named("cg_1")));
    }
}
