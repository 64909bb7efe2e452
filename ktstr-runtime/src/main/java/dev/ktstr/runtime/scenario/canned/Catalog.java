package dev.ktstr.runtime.scenario.canned;

import dev.ktstr.runtime.scenario.AffinityKind;
import dev.ktstr.runtime.scenario.DidYouMean;
import dev.ktstr.runtime.scenario.SchedPolicy;
import dev.ktstr.runtime.scenario.Scenario;
import dev.ktstr.runtime.scenario.Work;
import dev.ktstr.runtime.scenario.WorkType;
import dev.ktstr.runtime.scenario.canned.CatalogEntry.Category;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Every scenario {@code ktstr run} knows (ktstr facts §7.1 {@code all_scenarios()}, 81 entries):
 * the data-driven steady-state ones built by {@link Steady} and one entry per {@code custom_*}
 * scenario of the submodules. Entries carry the built-in scheduler flags they target
 * ({@link #LLC}, {@link #BORROW}, {@link #STEAL}, {@link #REBAL}, {@link #REJECT_PIN},
 * {@link #NO_CTRL}).
 */
public final class Catalog {

    public static final String LLC = "llc";
    public static final String BORROW = "borrow";
    /** Work stealing; requires {@link #LLC}. */
    public static final String STEAL = "steal";
    public static final String REBAL = "rebal";
    public static final String REJECT_PIN = "reject-pin";
    public static final String NO_CTRL = "no-ctrl";

    /** The six built-in flag names, in declaration order. */
    public static final List<String> FLAGS = List.of(LLC, BORROW, STEAL, REBAL, REJECT_PIN, NO_CTRL);

    private static final List<CatalogEntry> ALL = build();

    private Catalog() {}

    /** Every entry, in catalog order. */
    public static List<CatalogEntry> all() {
        return ALL;
    }

    public static Optional<CatalogEntry> find(String name) {
        return ALL.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /** The entry called {@code name}; an unknown name is an error with a suggestion. */
    public static CatalogEntry get(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("unknown scenario '" + name + "'"
                + DidYouMean.hint(name, names()) + "; 'ktstr list' shows all " + ALL.size()));
    }

    public static List<String> names() {
        return ALL.stream().map(CatalogEntry::name).toList();
    }

    static void checkFlag(String flag) {
        if (!FLAGS.contains(flag)) {
            throw new IllegalArgumentException("unknown built-in flag '" + flag + "'" + DidYouMean.hint(flag, FLAGS)
                    + "; known: " + String.join(", ", FLAGS));
        }
    }

    // ---- construction ---------------------------------------------------------------------------

    private static List<CatalogEntry> build() {
        List<CatalogEntry> all = new ArrayList<>();
        Work dfl = Work.defaults();
        Work bursty50 = Work.of(WorkType.Bursty.ms(50, 100));

        // basic
        steady(all, Category.BASIC, "cgroup_steady", "2 cgroups, no cpusets, equal load", 2, CpusetPartition.NONE, dfl);
        steady(all, Category.BASIC, "cgroup_cpuset_llc_steady", "2 cgroups, LLC-aligned cpusets, equal load", 2,
                CpusetPartition.LLC_ALIGNED, dfl);
        steady(all, Category.BASIC, "cgroup_cpuset_cross_llc_steady", "2 cgroups, cpusets spanning LLC boundary", 2,
                CpusetPartition.SPLIT_MISALIGNED, dfl);

        // cpuset
        steady(all, Category.CPUSET, "cgroup_cpuset_overlap_steady", "3 cgroups, 50% overlapping cpusets", 3,
                CpusetPartition.overlap(0.5), dfl);
        custom(all, Category.CPUSET, Cpuset.cgroupCpusetApplyMidrun());
        custom(all, Category.CPUSET, Cpuset.cgroupCpusetClearMidrun());
        custom(all, Category.CPUSET, Cpuset.cgroupCpusetResize());
        custom(all, Category.CPUSET, Cpuset.cgroupCpusetNumaSwap());
        custom(all, Category.CPUSET, Cpuset.cgroupCpusetSwapDisjoint());

        // stress
        steady(all, Category.STRESS, "cgroup_partial_cpus_steady", "2 cgroups, 1/3 CPUs unused", 2,
                CpusetPartition.holdback(0.33), dfl);
        steady(all, Category.STRESS, "cgroup_uneven_steady", "2 cgroups, 75/25 CPU split", 2,
                CpusetPartition.uneven(0.75), dfl);
        steady(all, Category.STRESS, "cgroup_oversubscribed", "2 cgroups, 32 mixed workers >> CPUs", 2,
                CpusetPartition.NONE, Work.of(WorkType.MIXED).workers(32));
        custom(all, Category.STRESS, Basic.hostCgroupContention());
        custom(all, Category.STRESS, Stress.cgroupPerCpu());
        custom(all, Category.STRESS, Stress.cgroupDsqContention());
        custom(all, Category.STRESS, Stress.cgroupWorkloadVariety());
        custom(all, Category.STRESS, Stress.cgroupCpusetWorkloadVariety());
        custom(all, Category.STRESS, Stress.cgroupDynamicWorkloadVariety());
        custom(all, Category.STRESS, Stress.cgroupCpusetCrossLlcRace(), List.of(LLC, REBAL), List.of());
        steady(all, Category.STRESS, "fork_exit_churn", "Rapid fork+exit cycling, task creation pressure", 2,
                CpusetPartition.NONE, Work.of(WorkType.FORK_EXIT));
        steady(all, Category.STRESS, "nice_sweep", "Workers cycling nice levels, priority reweighting", 2,
                CpusetPartition.NONE, Work.of(WorkType.NICE_SWEEP));
        steady(all, Category.STRESS, "affinity_churn", "Workers rapidly changing own CPU affinity", 2,
                CpusetPartition.NONE, Work.of(new WorkType.AffinityChurn(1024)));
        steady(all, Category.STRESS, "policy_churn", "Workers cycling scheduling policies mid-run", 2,
                CpusetPartition.NONE, Work.of(new WorkType.PolicyChurn(1024)));
        steady(all, Category.STRESS, "page_fault_churn", "Workers faulting and dropping pages, mm pressure", 2,
                CpusetPartition.NONE, Work.of(WorkType.PageFaultChurn.defaults()));
        steady(all, Category.STRESS, "mutex_contention_light", "4-way futex lock contention, short hold", 2,
                CpusetPartition.NONE, Work.of(new WorkType.MutexContention(4, 64, 1024)).workers(4));
        steady(all, Category.STRESS, "mutex_contention_heavy", "8-way futex lock contention, long hold", 2,
                CpusetPartition.NONE, Work.of(new WorkType.MutexContention(8, 4096, 256)).workers(8));

        // advanced
        steadyEach(all, Category.ADVANCED, "cgroup_idle_overloaded", "One cgroup idle, other overloaded",
                CpusetPartition.NONE, List.of(List.of(dfl.workers(16)), List.of()), List.of(BORROW));
        steadyEach(all, Category.ADVANCED, "cgroup_all_loaded", "All cgroups loaded, idle CPUs contested",
                CpusetPartition.NONE, List.of(List.of(dfl.workers(16)), List.of(dfl.workers(16))), List.of(BORROW));
        steadyEach(all, Category.ADVANCED, "cgroup_llc_overflow", "Single overloaded cgroup, cross-LLC migration",
                CpusetPartition.NONE, List.of(List.of(dfl.workers(8))), List.of(LLC, STEAL));
        steadyEach(all, Category.ADVANCED, "cgroup_load_imbalance", "Heavy + light cgroups", CpusetPartition.NONE,
                List.of(List.of(dfl.workers(16)), List.of(Work.of(WorkType.YIELD_HEAVY).workers(1))), List.of(REBAL));
        custom(all, Category.ADVANCED, Stress.cgroupExhaustReuse());
        custom(all, Category.ADVANCED, Cpuset.cgroupCpusetWorkloadImbalance(), List.of(BORROW), List.of());
        custom(all, Category.ADVANCED, Cpuset.cgroupCpusetLoadShift(), List.of(REBAL), List.of());
        custom(all, Category.ADVANCED, Interaction.cgroupAddLoadImbalance(), List.of(REBAL), List.of());
        custom(all, Category.ADVANCED, Interaction.cgroupImbalanceMixedWorkload(), List.of(BORROW, REBAL), List.of());
        custom(all, Category.ADVANCED, Affinity.cgroupMulticpuPin(), List.of(REJECT_PIN), List.of());
        custom(all, Category.ADVANCED, Interaction.cgroupNoCtrlTaskMigration(), List.of(NO_CTRL), List.of());
        custom(all, Category.ADVANCED, Cpuset.cgroupCpusetChangeImbalance(), List.of(BORROW), List.of());
        custom(all, Category.ADVANCED, Interaction.cgroupLoadOscillation(), List.of(REBAL), List.of());
        custom(all, Category.ADVANCED, Nested.nestedCgroupNoCtrl(), List.of(NO_CTRL), List.of());
        custom(all, Category.ADVANCED, Interaction.cgroupIoComputeImbalance(), List.of(BORROW), List.of());
        custom(all, Category.ADVANCED, Interaction.cgroup4wayLoadImbalance(), List.of(REBAL), List.of());
        steadyEach(all, Category.ADVANCED, "cgroup_cpuset_overlap_imbalance", "Imbalanced load with overlapping cpusets",
                CpusetPartition.overlap(0.5), List.of(List.of(dfl.workers(8)), List.of(bursty50.workers(1)),
                        List.of(Work.of(WorkType.YIELD_HEAVY).workers(1))), List.of(BORROW));
        steadyEach(all, Category.ADVANCED, "cgroup_cpuset_overlap_load_imbalance",
                "Imbalanced load with overlapping cpusets, rebalancing", CpusetPartition.overlap(0.5),
                List.of(List.of(dfl.workers(16)), List.of(Work.of(WorkType.YIELD_HEAVY).workers(1)),
                        List.of(dfl.workers(4))), List.of(REBAL));
        steadyEach(all, Category.ADVANCED, "cgroup_bursty_imbalance", "Steady + bursty cgroups", CpusetPartition.NONE,
                List.of(List.of(dfl.workers(8)), List.of(bursty50.workers(4))), List.of(BORROW));
        steadyEach(all, Category.ADVANCED, "cgroup_bursty_load_shift", "Bursty heavy + steady light cgroups",
                CpusetPartition.NONE, List.of(List.of(Work.of(WorkType.Bursty.ms(200, 50)).workers(12)),
                        List.of(dfl.workers(4))), List.of(REBAL));

        // interaction
        custom(all, Category.INTERACTION, Interaction.cgroupCpusetImbalanceCombined(), List.of(BORROW, REBAL), List.of());
        custom(all, Category.INTERACTION, Interaction.cgroupCpusetOverlapImbalanceCombined(), List.of(BORROW, REBAL),
                List.of());
        custom(all, Category.INTERACTION, Interaction.cgroupNoCtrlImbalance(), List.of(BORROW, NO_CTRL), List.of());
        custom(all, Category.INTERACTION, Interaction.cgroupNoCtrlCpusetChange(), List.of(NO_CTRL), List.of());
        custom(all, Category.INTERACTION, Interaction.cgroupNoCtrlLoadImbalance(), List.of(REBAL, NO_CTRL), List.of());
        custom(all, Category.INTERACTION, Affinity.cgroupCpusetMulticpuPin(), List.of(REJECT_PIN), List.of());
        custom(all, Category.INTERACTION, Dynamic.cgroupCpusetAddRemove());
        custom(all, Category.INTERACTION, Dynamic.cgroupAddDuringImbalance(), List.of(BORROW), List.of());
        custom(all, Category.INTERACTION, Nested.nestedCgroupImbalance(), List.of(BORROW), List.of());

        // sched_class
        steady(all, Category.SCHED_CLASS, "sched_batch", "SCHED_BATCH workers", 2, CpusetPartition.NONE,
                dfl.withPolicy(SchedPolicy.BATCH));
        steady(all, Category.SCHED_CLASS, "sched_idle", "SCHED_IDLE workers", 2, CpusetPartition.NONE,
                dfl.withPolicy(SchedPolicy.IDLE));
        // An RT burst preempts whichever fair-class worker shares its CPU, so the fair workers' spread
        // depends on placement, not fairness: judged at 75 % as in sched_mixed (measured under EEVDF
        // on 2n2l2c1t: 16.8 % between the two spinners of a cgroup beside one FIFO worker).
        all.add(new CatalogEntry(Steady.uniform("sched_fifo", "RT SCHED_FIFO + normal workers", 2,
                CpusetPartition.NONE, Work.of(WorkType.Bursty.ms(500, 250)).workers(1).withPolicy(SchedPolicy.fifo(1)),
                dfl).withChecks(Affinity.RELAXED_SPREAD), Category.SCHED_CLASS, List.of(), List.of(), 2,
                CpusetPartition.NONE));
        all.add(new CatalogEntry(Steady.uniform("sched_rr", "RT SCHED_RR + normal workers", 2, CpusetPartition.NONE,
                Work.of(WorkType.Bursty.ms(500, 250)).workers(2).withPolicy(SchedPolicy.roundRobin(1)), dfl)
                .withChecks(Affinity.RELAXED_SPREAD), Category.SCHED_CLASS, List.of(), List.of(), 2,
                CpusetPartition.NONE));
        custom(all, Category.SCHED_CLASS, Basic.schedMixed());
        custom(all, Category.SCHED_CLASS, Basic.cgroupPipeIo());

        // performance
        custom(all, Category.PERFORMANCE, Performance.cachePressureImbalance(), List.of(BORROW), List.of());
        custom(all, Category.PERFORMANCE, Performance.cacheYieldWakeAffine(), List.of(LLC), List.of());
        custom(all, Category.PERFORMANCE, Performance.cachePipeIoComputeImbalance(), List.of(BORROW), List.of());
        custom(all, Category.PERFORMANCE, Performance.fanOutWake(), List.of(BORROW), List.of());
        custom(all, Category.PERFORMANCE, Performance.fanOutCompute(), List.of(BORROW), List.of());

        // affinity
        steady(all, Category.AFFINITY, "cgroup_affinity_inherit", "No explicit affinity, mixed workload", 2,
                CpusetPartition.NONE, Work.of(WorkType.MIXED));
        // random masks concentrate workers as pinning does: spread judged at 75 %, as cgroup_affinity_change
        all.add(new CatalogEntry(Steady.uniform("cgroup_affinity_random", "Random CPU subset per worker", 2,
                CpusetPartition.SPLIT_HALF, dfl.withAffinity(AffinityKind.RANDOM_SUBSET))
                .withChecks(Affinity.RELAXED_SPREAD), Category.AFFINITY, List.of(), List.of(), 2,
                CpusetPartition.SPLIT_HALF));
        steady(all, Category.AFFINITY, "cgroup_affinity_spanning", "Affinity mask covers all CPUs", 2,
                CpusetPartition.SPLIT_HALF, dfl.withAffinity(AffinityKind.CROSS_CGROUP));
        steady(all, Category.AFFINITY, "cgroup_affinity_pinned", "One CPU per worker", 2, CpusetPartition.SPLIT_HALF,
                dfl.withAffinity(AffinityKind.SINGLE_CPU));
        steadyEach(all, Category.AFFINITY, "cgroup_cpuset_llc_affinity", "LLC-aligned affinity + cpusets",
                CpusetPartition.LLC_ALIGNED, List.of(List.of(dfl.withAffinity(AffinityKind.LLC_ALIGNED)),
                        List.of(dfl.withAffinity(AffinityKind.LLC_ALIGNED))), List.of(LLC));
        custom(all, Category.AFFINITY, Affinity.cgroupAffinityChange(), List.of(), List.of(REJECT_PIN));

        // nested
        custom(all, Category.NESTED, Nested.nestedCgroupSteady());
        custom(all, Category.NESTED, Nested.nestedCgroupTaskMove());
        custom(all, Category.NESTED, Nested.nestedCgroupRapidChurn());
        custom(all, Category.NESTED, Nested.nestedCgroupCpuset());

        // dynamic
        custom(all, Category.DYNAMIC, Dynamic.cgroupAddMidrun());
        custom(all, Category.DYNAMIC, Dynamic.cgroupRemoveMidrun());
        custom(all, Category.DYNAMIC, Dynamic.cgroupRapidChurn());

        // stall
        steady(all, Category.STALL, "stall_detect", "Overloaded single cgroup", 1, CpusetPartition.NONE,
                dfl.workers(16));
        steady(all, Category.STALL, "stall_recovery", "Two overloaded cgroups: recovery after a scheduler stall", 2,
                CpusetPartition.NONE, dfl.workers(16));

        return Collections.unmodifiableList(all);
    }

    private static void steady(List<CatalogEntry> all, Category c, String name, String description, int cgroups,
            CpusetPartition partition, Work... works) {
        all.add(new CatalogEntry(Steady.uniform(name, description, cgroups, partition, works), c, List.of(),
                List.of(), cgroups, partition));
    }

    private static void steadyEach(List<CatalogEntry> all, Category c, String name, String description,
            CpusetPartition partition, List<List<Work>> perCgroup, List<String> required) {
        all.add(new CatalogEntry(Steady.of(name, description, partition, perCgroup), c, required, List.of(),
                perCgroup.size(), partition));
    }

    private static void custom(List<CatalogEntry> all, Category c, Scenario s) {
        custom(all, c, s, List.of(), List.of());
    }

    private static void custom(List<CatalogEntry> all, Category c, Scenario s, List<String> required,
            List<String> excluded) {
        all.add(new CatalogEntry(s, c, required, excluded, 0, CpusetPartition.NONE));
    }
}
