package dev.ktstr.runtime.scenario.canned;

import dev.ktstr.runtime.scenario.CgroupDef;
import dev.ktstr.runtime.scenario.HoldSpec;
import dev.ktstr.runtime.scenario.Op;
import dev.ktstr.runtime.scenario.SchedPolicy;
import dev.ktstr.runtime.scenario.Scenario;
import dev.ktstr.runtime.scenario.Step;
import dev.ktstr.runtime.scenario.Work;
import dev.ktstr.runtime.scenario.WorkType;
import dev.ktstr.runtime.scenario.WorkerCount;
import java.util.ArrayList;
import java.util.List;

/** Basic and mixed-workload scenarios (ktstr {@code scenario/basic.rs}). */
public final class Basic {

    private Basic() {}

    /**
     * {@code host_cgroup_contention}: two default cgroups plus one CpuSpin worker per CPU in the
     * agent's own (parent) cgroup, competing with them from outside the managed cgroups.
     */
    public static Scenario hostCgroupContention() {
        return Scenario.of("host_cgroup_contention", "Host workers competing with cgroup workers",
                Step.withDefs(HoldSpec.FULL, CgroupDef.named("cg_0"), CgroupDef.named("cg_1"))
                        .setOps(Op.spawnHost(Work.defaults().workers(WorkerCount.perCpu(1.0)))));
    }

    /**
     * {@code sched_mixed}: two cgroups, each running two workers of every policy at once — NORMAL,
     * BATCH and IDLE CpuSpin, and FIFO(1) Bursty 500/250 ms (bursty so it cannot monopolise a CPU).
     * Spread limit 75 %: a FIFO burst preempts whichever fair-class worker shares its CPU (up to two
     * thirds of it), so two workers of one group see different competition by placement, not by
     * unfairness (measured under EEVDF in an 8-CPU guest: 16 to 40 % between the two NORMAL spinners
     * of a cgroup, changing from run to run); starvation and gaps stay judged at the defaults.
     */
    public static Scenario schedMixed() {
        List<Op> ops = new ArrayList<>(List.of(Op.addCgroup("cg_0"), Op.addCgroup("cg_1")));
        for (String cg : List.of("cg_0", "cg_1")) {
            ops.add(Op.spawn(cg, Work.defaults().workers(2)));
            ops.add(Op.spawn(cg, Work.defaults().workers(2).withPolicy(SchedPolicy.BATCH)));
            ops.add(Op.spawn(cg, Work.defaults().workers(2).withPolicy(SchedPolicy.IDLE)));
            ops.add(Op.spawn(cg, Work.of(WorkType.Bursty.ms(500, 250)).workers(2).withPolicy(SchedPolicy.fifo(1))));
        }
        return Scenario.of("sched_mixed", "Mix of all sched classes", Step.of(ops, HoldSpec.FULL))
                .withChecks(Affinity.RELAXED_SPREAD);
    }

    /**
     * {@code cgroup_pipe_io}: two cgroups, each with a pair of PipeIo workers (1024 spins between
     * byte exchanges) beside the default number of CpuSpin workers: cross-CPU wake placement under
     * CPU load.
     */
    public static Scenario cgroupPipeIo() {
        List<Op> ops = new ArrayList<>(List.of(Op.addCgroup("cg_0"), Op.addCgroup("cg_1")));
        for (String cg : List.of("cg_0", "cg_1")) {
            ops.add(Op.spawn(cg, Work.of(new WorkType.PipeIo(1024)).workers(2)));
            ops.add(Op.spawn(cg, Work.defaults()));
        }
        return Scenario.of("cgroup_pipe_io", "Pipe-paired IO + CPU workers", Step.of(ops, HoldSpec.FULL));
    }
}
