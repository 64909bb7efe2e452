package dev.ktstr.runtime.scenario.canned;

import dev.ktstr.runtime.scenario.CgroupDef;
import dev.ktstr.runtime.scenario.CpusetSpec;
import dev.ktstr.runtime.scenario.HoldSpec;
import dev.ktstr.runtime.scenario.Requirement;
import dev.ktstr.runtime.scenario.Scenario;
import dev.ktstr.runtime.scenario.Step;
import dev.ktstr.runtime.scenario.WorkType;

/**
 * The curated canned scenarios (ktstr {@code scenarios::}, facts §7.1): common scheduler test
 * patterns under short names, most delegating to a submodule.
 *
 * <pre>{@code
 * @KtstrTest(llcs = 2, cores = 4)
 * void steadyIsFair(Ctx ctx) {
 *     ctx.run(Scenarios.steady());
 * }
 * }</pre>
 */
public final class Scenarios {

    private Scenarios() {}

    /** {@code steady}: two cgroups, no cpusets, the default CpuSpin load. */
    public static Scenario steady() {
        return Scenario.of("steady", "Two cgroups, no cpusets, equal CPU-spin load",
                Step.withDefs(HoldSpec.FULL, CgroupDef.named("cg_0"), CgroupDef.named("cg_1")));
    }

    /** {@code steady_llc}: two cgroups, each on its own LLC. Needs 2 LLCs. */
    public static Scenario steadyLlc() {
        return Scenario.of("steady_llc", "Two cgroups with LLC-aligned cpusets",
                Step.withDefs(HoldSpec.FULL, CgroupDef.named("cg_0").withCpuset(CpusetSpec.llc(0)),
                        CgroupDef.named("cg_1").withCpuset(CpusetSpec.llc(1))))
                .requiring(Requirement.minLlcs(2));
    }

    /** {@code oversubscribed}: two cgroups of 32 Mixed workers each, far more than CPUs. */
    public static Scenario oversubscribed() {
        return Scenario.of("oversubscribed", "Two cgroups with 32 mixed workers each (oversubscribed)",
                Step.withDefs(HoldSpec.FULL, CgroupDef.named("cg_0").workers(32).workType(WorkType.MIXED),
                        CgroupDef.named("cg_1").workers(32).workType(WorkType.MIXED)));
    }

    /** {@code cpuset_apply}: {@link Cpuset#cgroupCpusetApplyMidrun()}. */
    public static Scenario cpusetApply() {
        return Cpuset.cgroupCpusetApplyMidrun().withName("cpuset_apply");
    }

    /** {@code cpuset_clear}: {@link Cpuset#cgroupCpusetClearMidrun()}. */
    public static Scenario cpusetClear() {
        return Cpuset.cgroupCpusetClearMidrun().withName("cpuset_clear");
    }

    /** {@code cpuset_resize}: {@link Cpuset#cgroupCpusetResize()}. */
    public static Scenario cpusetResize() {
        return Cpuset.cgroupCpusetResize().withName("cpuset_resize");
    }

    /** {@code cgroup_add}: {@link Dynamic#cgroupAddMidrun()}. */
    public static Scenario cgroupAdd() {
        return Dynamic.cgroupAddMidrun().withName("cgroup_add");
    }

    /** {@code cgroup_remove}: {@link Dynamic#cgroupRemoveMidrun()}. */
    public static Scenario cgroupRemove() {
        return Dynamic.cgroupRemoveMidrun().withName("cgroup_remove");
    }

    /** {@code affinity_change}: {@link Affinity#cgroupAffinityChange()}. */
    public static Scenario affinityChange() {
        return Affinity.cgroupAffinityChange().withName("affinity_change");
    }

    /** {@code affinity_pinned}: {@link Affinity#cgroupMulticpuPin()}. */
    public static Scenario affinityPinned() {
        return Affinity.cgroupMulticpuPin().withName("affinity_pinned");
    }

    /** {@code host_contention}: {@link Basic#hostCgroupContention()}. */
    public static Scenario hostContention() {
        return Basic.hostCgroupContention().withName("host_contention");
    }

    /** {@code mixed_workloads}: {@link Interaction#cgroupImbalanceMixedWorkload()}. */
    public static Scenario mixedWorkloads() {
        return Interaction.cgroupImbalanceMixedWorkload().withName("mixed_workloads");
    }

    /** {@code nested_steady}: {@link Nested#nestedCgroupSteady()}. */
    public static Scenario nestedSteady() {
        return Nested.nestedCgroupSteady().withName("nested_steady");
    }

    /** {@code nested_task_move}: {@link Nested#nestedCgroupTaskMove()}. */
    public static Scenario nestedTaskMove() {
        return Nested.nestedCgroupTaskMove().withName("nested_task_move");
    }
}
