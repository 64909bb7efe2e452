package dev.ktstr.runtime.scenario.canned;

import dev.ktstr.runtime.checks.Thresholds;
import dev.ktstr.runtime.scenario.AffinityKind;
import dev.ktstr.runtime.scenario.Backdrop;
import dev.ktstr.runtime.scenario.CgroupDef;
import dev.ktstr.runtime.scenario.CpusetSpec;
import dev.ktstr.runtime.scenario.HoldSpec;
import dev.ktstr.runtime.scenario.Op;
import dev.ktstr.runtime.scenario.Scenario;
import dev.ktstr.runtime.scenario.Step;
import java.util.ArrayList;
import java.util.List;

/** CPU affinity scenarios (ktstr {@code scenario/affinity.rs}). */
public final class Affinity {

    private Affinity() {}

    /** Concentrated pinning raises the off-CPU spread even under a fair scheduler; ktstr relaxes it to 75 %. */
    static final Thresholds RELAXED_SPREAD = Thresholds.builder().maxSpreadPct(75).build();

    /**
     * {@code cgroup_affinity_change}: two default cgroups; after the first fifth, every worker's
     * affinity is re-randomised (half the CPUs each, {@link AffinityKind#RANDOM_SUBSET}) four
     * times, a fifth of the run apart. Spread limit 75 %: random masks can put three workers on two
     * CPUs and leave the fourth one of its own, which is placement, not unfairness (measured under
     * EEVDF on 2n2l2c1t: 11.9 % in one run, 27.4 % in the next).
     */
    public static Scenario cgroupAffinityChange() {
        List<Step> steps = new ArrayList<>();
        steps.add(Step.hold(HoldSpec.frac(0.2)));
        for (int i = 0; i < 4; i++) {
            steps.add(Step.of(HoldSpec.frac(0.2), Op.setAffinity("cg_0", AffinityKind.RANDOM_SUBSET),
                    Op.setAffinity("cg_1", AffinityKind.RANDOM_SUBSET)));
        }
        return Scenario.of("cgroup_affinity_change", "Affinities randomized mid-run", steps)
                .withBackdrop(Backdrop.EMPTY.withCgroups(CgroupDef.named("cg_0"), CgroupDef.named("cg_1")))
                .withChecks(RELAXED_SPREAD);
    }

    /**
     * {@code cgroup_multicpu_pin}: two default cgroups; after a settling quarter, every worker of
     * both is pinned to the same first two CPUs (heavy contention on a narrow mask). Spread limit
     * 75 %.
     */
    public static Scenario cgroupMulticpuPin() {
        return Scenario.of("cgroup_multicpu_pin", "Workers pinned to 2 CPUs each",
                Step.hold(HoldSpec.frac(0.25)),
                Step.of(HoldSpec.frac(0.75), Op.setAffinity("cg_0", AffinityKind.firstCpus(2)),
                        Op.setAffinity("cg_1", AffinityKind.firstCpus(2))))
                .withBackdrop(Backdrop.EMPTY.withCgroups(CgroupDef.named("cg_0"), CgroupDef.named("cg_1")))
                .withChecks(RELAXED_SPREAD);
    }

    /**
     * {@code cgroup_cpuset_multicpu_pin}: two cgroups on disjoint halves; after a settling quarter,
     * each cgroup's workers are pinned to the first two CPUs of its half: pinning inside cpuset
     * constraints. Spread limit 75 %.
     */
    public static Scenario cgroupCpusetMulticpuPin() {
        return Scenario.of("cgroup_cpuset_multicpu_pin", "Multi-CPU pin within cpuset-constrained cgroups",
                Step.hold(HoldSpec.frac(0.25)),
                Step.of(HoldSpec.frac(0.75), Op.setAffinity("cg_0", AffinityKind.firstCpus(2)),
                        Op.setAffinity("cg_1", AffinityKind.firstCpus(2))))
                .withBackdrop(Backdrop.EMPTY.withCgroups(CgroupDef.named("cg_0").withCpuset(CpusetSpec.disjoint(0, 2)),
                        CgroupDef.named("cg_1").withCpuset(CpusetSpec.disjoint(1, 2))))
                .withChecks(RELAXED_SPREAD);
    }
}
