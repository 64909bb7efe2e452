package dev.ktstr.runtime.scenario.canned;

import dev.ktstr.runtime.checks.Thresholds;
import dev.ktstr.runtime.scenario.AffinityKind;
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
import dev.ktstr.topology.CpuSet;
import dev.ktstr.topology.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Stress and edge-case scenarios (ktstr {@code scenario/stress.rs}). */
public final class Stress {

    private Stress() {}

    /** How many exhaust cgroups {@link #cgroupExhaustReuse()} creates (ktstr's cap). */
    static final int EXHAUST = 15;

    /**
     * The rotation of work types the variety scenarios hand out, one per cgroup: CpuSpin, Bursty
     * 50/100 ms, IoSync, Mixed, PipeIo pairs, YieldHeavy.
     */
    static Work diverse(int i) {
        return switch (i % 6) {
            case 0 -> Work.defaults();
            case 1 -> Work.of(WorkType.Bursty.ms(50, 100));
            case 2 -> Work.of(WorkType.IO_SYNC);
            case 3 -> Work.of(WorkType.MIXED);
            case 4 -> Work.of(new WorkType.PipeIo(1024)).workers(WorkerCount.wholeGroups(WorkerCount.DEFAULT));
            default -> Work.of(WorkType.YIELD_HEAVY);
        };
    }

    /**
     * {@code cgroup_per_cpu}: one cgroup per usable CPU ({@code many_0 …}, at most 64), each pinned
     * to its single CPU with one CpuSpin worker.
     */
    public static Scenario cgroupPerCpu() {
        return Scenario.of("cgroup_per_cpu", "One cgroup per CPU",
                Step.withFactory("one single-CPU cgroup per usable CPU (<= 64)", env -> {
                    CpuSet usable = CpusetSpec.usableCpus(env.topology());
                    int n = Math.min(usable.size(), 64);
                    List<CgroupDef> defs = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        defs.add(CgroupDef.named("many_" + i).withCpuset(CpusetSpec.exact(usable.slice(i, i + 1)))
                                .workers(1));
                    }
                    return defs;
                }, HoldSpec.FULL));
    }

    /**
     * {@code cgroup_exhaust_reuse}: 15 empty cgroups, each with a single-CPU cpuset spread over the
     * usable CPUs, occupy scheduler slots for a quarter of the run; the first seven are removed
     * for the next quarter; then seven replacement cgroups with one pinned worker each run for the
     * last half (slot reuse).
     */
    public static Scenario cgroupExhaustReuse() {
        Backdrop exhaust = Backdrop.EMPTY;
        for (int i = 0; i < EXHAUST; i++) {
            exhaust = exhaust.withOps(Op.addCgroup("exhaust_" + i),
                    Op.setCpuset("exhaust_" + i, CpusetSpec.disjoint(i, EXHAUST)));
        }
        List<Op> removals = new ArrayList<>();
        List<CgroupDef> reuse = new ArrayList<>();
        for (int i = 0; i < EXHAUST / 2; i++) {
            removals.add(Op.removeCgroup("exhaust_" + i));
            reuse.add(CgroupDef.named("reuse_" + i).withCpuset(CpusetSpec.disjoint(i, EXHAUST)).workers(1));
        }
        return Scenario.of("cgroup_exhaust_reuse", "Fill cgroups, remove half, create replacements",
                Step.hold(HoldSpec.frac(0.25)), Step.of(removals, HoldSpec.frac(0.25)),
                Step.withDefs(reuse, HoldSpec.frac(0.5)))
                .withBackdrop(exhaust);
    }

    /**
     * {@code cgroup_dsq_contention}: one cgroup on all usable CPUs with {@code max(3·(cpus-1), 8)}
     * unpinned Bursty 10/5 ms workers, plus up to four Bursty 10/5 ms workers each pinned to one
     * CPU: several CPUs contend for shared dispatch queues under bursty wakeups. The gap limit is
     * 1500 ms (a pinned CPU that goes idle and never retries shows as a gap). Needs 4 CPUs.
     */
    public static Scenario cgroupDsqContention() {
        return Scenario.of("cgroup_dsq_contention", "Bursty + pinned workers on shared DSQ",
                Step.withFactory("unpinned + per-CPU pinned bursty workers", env -> {
                    Topology t = env.topology();
                    int last = t.totalCpus() - 1;
                    WorkType bursty = WorkType.Bursty.ms(10, 5);
                    CgroupDef d = CgroupDef.named("cg_0").withCpuset(CpusetSpec.range(0, 1))
                            .work(Work.of(bursty).workers(Math.max(last * 3, 8)));
                    for (int cpu = 0; cpu < Math.min(last, 4); cpu++) {
                        d = d.work(Work.of(bursty).workers(1).withAffinity(AffinityKind.exact(cpu)));
                    }
                    return List.of(d);
                }, HoldSpec.FULL))
                .withChecks(Thresholds.builder().maxGapMs(1500).build())
                .requiring(Requirement.minCpus(4));
    }

    /** {@code cgroup_workload_variety}: five cgroups, each with a different work type (see {@link #diverse}). Needs 6 CPUs. */
    public static Scenario cgroupWorkloadVariety() {
        List<CgroupDef> defs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            defs.add(CgroupDef.named("cg_" + i).work(diverse(i)));
        }
        return Scenario.of("cgroup_workload_variety", "5 cgroups, 5 workload types", Step.withDefs(defs, HoldSpec.FULL))
                .requiring(Requirement.minCpus(6));
    }

    /** {@code cgroup_cpuset_workload_variety}: three cgroups on disjoint thirds, each a different work type. Needs 6 CPUs. */
    public static Scenario cgroupCpusetWorkloadVariety() {
        List<CgroupDef> defs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            defs.add(CgroupDef.named("cg_" + i).withCpuset(CpusetSpec.disjoint(i, 3)).work(diverse(i)));
        }
        return Scenario.of("cgroup_cpuset_workload_variety", "Diverse workloads with cpuset partitioning",
                Step.withDefs(defs, HoldSpec.FULL)).requiring(Requirement.minCpus(6));
    }

    /**
     * {@code cgroup_dynamic_workload_variety}: three cgroups of different work types run throughout;
     * a fourth with four Bursty 100/50 ms workers exists only in the middle third. Needs 5 CPUs.
     */
    public static Scenario cgroupDynamicWorkloadVariety() {
        Backdrop b = Backdrop.EMPTY;
        for (int i = 0; i < 3; i++) {
            b = b.withCgroup(CgroupDef.named("cg_" + i).work(diverse(i)));
        }
        return Scenario.of("cgroup_dynamic_workload_variety", "Diverse workloads with cgroup add/remove",
                Step.hold(HoldSpec.frac(1.0 / 3)),
                Step.withDefs(HoldSpec.frac(1.0 / 3),
                        CgroupDef.named("cg_3").workers(4).workType(WorkType.Bursty.ms(100, 50))),
                Step.hold(HoldSpec.frac(1.0 / 3)))
                .withBackdrop(b).requiring(Requirement.minCpus(5));
    }

    /**
     * {@code cgroup_cpuset_cross_llc_race}: {@code cg_0} on LLC 0 (less its first CPU, kept for
     * the rest of the system when the LLC has more than one) and {@code cg_1} on LLC 1, each
     * oversubscribed with {@code 8 · max(|LLC 0 part|, 4)} Mixed workers; their cpusets swap every
     * 200 ms for the whole run, racing the scheduler's LLC assignment. Needs 2 LLCs.
     */
    public static Scenario cgroupCpusetCrossLlcRace() {
        return Scenario.of("cgroup_cpuset_cross_llc_race", "Rapid cpuset flips across LLC boundaries",
                Step.withFactory("cg_0 on LLC 0, cg_1 on LLC 1, oversubscribed Mixed", env -> {
                    Topology t = env.topology();
                    CpuSet llc0 = t.cpusOfLlc(0);
                    CpuSet part0 = llc0.size() > 1 ? llc0.minus(CpuSet.of(llc0.first())) : llc0;
                    int n = Math.max(part0.size(), 4) * 8;
                    return List.of(
                            CgroupDef.named("cg_0").withCpuset(CpusetSpec.exact(part0)).workers(n)
                                    .workType(WorkType.MIXED),
                            CgroupDef.named("cg_1").withCpuset(CpusetSpec.llc(1)).workers(n).workType(WorkType.MIXED));
                }, HoldSpec.loop(Duration.ofMillis(200))).setOps(Op.swapCpusets("cg_0", "cg_1")))
                .requiring(Requirement.minLlcs(2));
    }
}
