package dev.ktstr.runtime.scenario.canned;

import dev.ktstr.runtime.checks.Thresholds;
import dev.ktstr.runtime.scenario.Backdrop;
import dev.ktstr.runtime.scenario.CgroupDef;
import dev.ktstr.runtime.scenario.CpusetSpec;
import dev.ktstr.runtime.scenario.HoldSpec;
import dev.ktstr.runtime.scenario.Op;
import dev.ktstr.runtime.scenario.Requirement;
import dev.ktstr.runtime.scenario.Scenario;
import dev.ktstr.runtime.scenario.Step;
import dev.ktstr.runtime.scenario.WorkType;

/** Nested cgroup hierarchies (ktstr {@code scenario/nested.rs}). */
public final class Nested {

    private Nested() {}

    /**
     * {@code nested_cgroup_steady}: default workers in four leaves up to three levels deep
     * ({@code cg_0/sub_a}, {@code cg_0/sub_b}, {@code cg_1/sub_b}, {@code cg_1/sub_a/deep}); the
     * intermediate cgroups are created empty first.
     */
    public static Scenario nestedCgroupSteady() {
        return Scenario.of("nested_cgroup_steady", "Workers in nested sub-cgroups",
                Step.withDefs(HoldSpec.FULL, CgroupDef.named("cg_0/sub_a"), CgroupDef.named("cg_0/sub_b"),
                        CgroupDef.named("cg_1/sub_b"), CgroupDef.named("cg_1/sub_a/deep"))
                        .setOps(Op.addCgroup("cg_0"), Op.addCgroup("cg_1"), Op.addCgroup("cg_1/sub_a")));
    }

    /**
     * {@code nested_cgroup_task_move}: workers start in {@code cg_0/sub} and are moved, a quarter of
     * the run apart, to its parent {@code cg_0}, across the hierarchy to {@code cg_1/sub}, then up
     * to {@code cg_1}.
     */
    public static Scenario nestedCgroupTaskMove() {
        return Scenario.of("nested_cgroup_task_move", "Move tasks between nested cgroups",
                Step.hold(HoldSpec.frac(0.25)),
                Step.of(HoldSpec.frac(0.25), Op.moveAllTasks("cg_0/sub", "cg_0")),
                Step.of(HoldSpec.frac(0.25), Op.moveAllTasks("cg_0", "cg_1/sub")),
                Step.of(HoldSpec.frac(0.25), Op.moveAllTasks("cg_1/sub", "cg_1")))
                .withBackdrop(Backdrop.EMPTY.withOps(Op.addCgroup("cg_0"), Op.addCgroup("cg_1"), Op.addCgroup("cg_1/sub"))
                        .withCgroup(CgroupDef.named("cg_0/sub")));
    }

    /**
     * {@code nested_cgroup_rapid_churn}: two default cgroups run while {@code cg_0/churn} and its
     * child {@code cg_0/churn/deep} are created and removed (child first) every 100 ms.
     */
    public static Scenario nestedCgroupRapidChurn() {
        return Scenario.of("nested_cgroup_rapid_churn", "Rapid nested cgroup create/destroy",
                Step.of(HoldSpec.loop(Dynamic.CHURN_INTERVAL), Op.addCgroup("cg_0/churn"),
                        Op.addCgroup("cg_0/churn/deep"), Op.removeCgroup("cg_0/churn/deep"),
                        Op.removeCgroup("cg_0/churn")))
                .withBackdrop(Backdrop.EMPTY.withCgroups(CgroupDef.named("cg_0"), CgroupDef.named("cg_1")));
    }

    /**
     * {@code nested_cgroup_cpuset}: {@code cg_0} restricted to the first half of the usable CPUs,
     * its child {@code cg_0/narrow} to the first quarter, with the default workers in the child;
     * the isolation check is on, so a worker seen outside the quarter fails. Needs 4 CPUs.
     */
    public static Scenario nestedCgroupCpuset() {
        return Scenario.of("nested_cgroup_cpuset", "Nested cgroups with restrictive cpusets",
                Step.withDefs(HoldSpec.FULL, CgroupDef.named("cg_0/narrow").withCpuset(CpusetSpec.range(0, 0.25)))
                        .setOps(Op.addCgroup("cg_0"), Op.setCpuset("cg_0", CpusetSpec.range(0, 0.5))))
                .withChecks(Thresholds.builder().isolation(true).build())
                .requiring(Requirement.minCpus(4));
    }

    /** {@code nested_cgroup_imbalance}: 8 CpuSpin workers in {@code cg_0/sub_a} against 2 Bursty 50/100 ms in {@code cg_1/sub_b}. */
    public static Scenario nestedCgroupImbalance() {
        return Scenario.of("nested_cgroup_imbalance", "Nested cgroups with imbalanced load",
                Step.withDefs(HoldSpec.FULL, CgroupDef.named("cg_0/sub_a").workers(8),
                        CgroupDef.named("cg_1/sub_b").workers(2).workType(WorkType.Bursty.ms(50, 100)))
                        .setOps(Op.addCgroup("cg_0"), Op.addCgroup("cg_1")));
    }

    /** {@code nested_cgroup_no_ctrl}: default workers in {@code cg_0/sub_a/deep} and {@code cg_1/sub_b} (for schedulers without a cgroup controller). */
    public static Scenario nestedCgroupNoCtrl() {
        return Scenario.of("nested_cgroup_no_ctrl", "Nested cgroups without controller",
                Step.withDefs(HoldSpec.FULL, CgroupDef.named("cg_0/sub_a/deep"), CgroupDef.named("cg_1/sub_b"))
                        .setOps(Op.addCgroup("cg_0"), Op.addCgroup("cg_0/sub_a"), Op.addCgroup("cg_1")));
    }
}
