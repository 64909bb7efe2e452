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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Cgroups appearing and disappearing while others run (ktstr {@code scenario/dynamic.rs}). */
public final class Dynamic {

    private Dynamic() {}

    /** How often the churn scenarios create and destroy their cgroup. */
    static final Duration CHURN_INTERVAL = Duration.ofMillis(100);

    private static Backdrop twoDefault() {
        return Backdrop.EMPTY.withCgroups(CgroupDef.named("cg_0"), CgroupDef.named("cg_1"));
    }

    /**
     * {@code cgroup_add_midrun}: {@code cg_0} and {@code cg_1} run throughout; half-way one or two
     * more default cgroups ({@code cg_2}, {@code cg_3}: as many as the CPUs beyond three allow, at
     * most two) join for the second half. Needs 4 CPUs.
     */
    public static Scenario cgroupAddMidrun() {
        return Scenario.of("cgroup_add_midrun", "Add cgroups to running system",
                Step.hold(HoldSpec.frac(0.5)),
                Step.withFactory("1-2 extra default cgroups", env -> {
                    int extra = Math.max(1, Math.min(2, env.topology().totalCpus() - 3));
                    List<CgroupDef> defs = new ArrayList<>();
                    for (int i = 0; i < extra; i++) {
                        defs.add(CgroupDef.named("cg_" + (2 + i)));
                    }
                    return defs;
                }, HoldSpec.frac(0.5)))
                .withBackdrop(twoDefault())
                .requiring(Requirement.minCpus(4));
    }

    /**
     * {@code cgroup_remove_midrun}: {@code cg_0} and {@code cg_1} run throughout; one or two more
     * ({@code cg_2}, {@code cg_3}: up to four cgroups in all, one per CPU beyond the first) run only
     * the first half and are removed at its end (stopped, then rmdir'd). Needs 3 CPUs.
     */
    public static Scenario cgroupRemoveMidrun() {
        return Scenario.of("cgroup_remove_midrun", "Remove cgroups mid-run",
                Step.withFactory("1-2 removable default cgroups", env -> {
                    int removable = Math.max(1, Math.min(4, env.topology().totalCpus() - 1) - 2);
                    List<CgroupDef> defs = new ArrayList<>();
                    for (int i = 0; i < removable; i++) {
                        defs.add(CgroupDef.named("cg_" + (2 + i)));
                    }
                    return defs;
                }, HoldSpec.frac(0.5)),
                Step.hold(HoldSpec.frac(0.5)))
                .withBackdrop(twoDefault())
                .requiring(Requirement.minCpus(3));
    }

    /**
     * {@code cgroup_rapid_churn}: two default cgroups run while an empty cgroup {@code churn} is
     * created and removed every 100 ms for the whole duration.
     */
    public static Scenario cgroupRapidChurn() {
        return Scenario.of("cgroup_rapid_churn", "Rapid create/destroy cycling",
                Step.of(HoldSpec.loop(CHURN_INTERVAL), Op.addCgroup("churn"), Op.removeCgroup("churn")))
                .withBackdrop(twoDefault());
    }

    /**
     * {@code cgroup_cpuset_add_remove}: {@code cg_0} and {@code cg_1} hold the first two of three
     * disjoint thirds throughout; {@code cg_2} takes the last third for the middle third of the run
     * only. Needs 4 CPUs.
     */
    public static Scenario cgroupCpusetAddRemove() {
        return Scenario.of("cgroup_cpuset_add_remove", "Add/remove cpuset-constrained cgroups",
                Step.hold(HoldSpec.frac(1.0 / 3)),
                Step.withDefs(HoldSpec.frac(1.0 / 3), CgroupDef.named("cg_2").withCpuset(CpusetSpec.disjoint(2, 3))),
                Step.hold(HoldSpec.frac(1.0 / 3)))
                .withBackdrop(Backdrop.EMPTY.withCgroups(
                        CgroupDef.named("cg_0").withCpuset(CpusetSpec.disjoint(0, 3)),
                        CgroupDef.named("cg_1").withCpuset(CpusetSpec.disjoint(1, 3))))
                .requiring(Requirement.minCpus(4));
    }

    /**
     * {@code cgroup_add_during_imbalance}: a heavy cgroup (8 CpuSpin) and a bursty one (2 × 50/100 ms)
     * run throughout; a third with 4 CpuSpin workers joins for the second half.
     */
    public static Scenario cgroupAddDuringImbalance() {
        return Scenario.of("cgroup_add_during_imbalance", "Add cgroup during imbalanced load",
                Step.hold(HoldSpec.frac(0.5)),
                Step.withDefs(HoldSpec.frac(0.5), CgroupDef.named("cg_2").workers(4)))
                .withBackdrop(Backdrop.EMPTY.withCgroups(CgroupDef.named("cg_0").workers(8),
                        CgroupDef.named("cg_1").workers(2).workType(WorkType.Bursty.ms(50, 100))));
    }
}
