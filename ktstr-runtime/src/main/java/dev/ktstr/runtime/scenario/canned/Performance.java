package dev.ktstr.runtime.scenario.canned;

import dev.ktstr.runtime.checks.Thresholds;
import dev.ktstr.runtime.scenario.CgroupDef;
import dev.ktstr.runtime.scenario.CpusetSpec;
import dev.ktstr.runtime.scenario.HoldSpec;
import dev.ktstr.runtime.scenario.Requirement;
import dev.ktstr.runtime.scenario.Scenario;
import dev.ktstr.runtime.scenario.Step;
import dev.ktstr.runtime.scenario.WorkType;
import dev.ktstr.runtime.scenario.WorkerCount;

/**
 * Performance scenarios with benchmark checks (ktstr {@code scenario/performance.rs}): cache-hot
 * work, wake-affine placement and fan-out wakeups against a CpuSpin cgroup with one worker per CPU.
 */
public final class Performance {

    private Performance() {}

    private static CgroupDef compute() {
        return CgroupDef.named("cg_1").workers(WorkerCount.perCpu(1.0));
    }

    /** {@code cache_pressure_imbalance}: CachePressure (32 KiB, stride 64) against CpuSpin; throughput CV limit 1.0. */
    public static Scenario cachePressureImbalance() {
        return Scenario.of("cache_pressure_imbalance", "CachePressure vs CpuSpin cgroups",
                Step.withDefs(HoldSpec.FULL, CgroupDef.named("cg_0").workType(new WorkType.CachePressure(32, 64)),
                        compute()))
                .withChecks(Thresholds.builder().maxThroughputCv(1.0).build());
    }

    /**
     * {@code cache_yield_wake_affine}: CacheYield workers in two cgroups on LLC 0 and LLC 1, so a
     * waking task placed across LLCs is visible; wake-latency CV limit 50, throughput CV limit
     * 1.0. Needs 2 LLCs.
     */
    public static Scenario cacheYieldWakeAffine() {
        return Scenario.of("cache_yield_wake_affine", "CacheYield workers testing wake-affine placement",
                Step.withDefs(HoldSpec.FULL,
                        CgroupDef.named("cg_0").withCpuset(CpusetSpec.llc(0)).workType(new WorkType.CacheYield(32, 64)),
                        CgroupDef.named("cg_1").withCpuset(CpusetSpec.llc(1)).workType(new WorkType.CacheYield(32, 64))))
                .withChecks(Thresholds.builder().maxWakeLatencyCv(50).maxThroughputCv(1.0).build())
                .requiring(Requirement.minLlcs(2));
    }

    /**
     * {@code cache_pipe_io_compute_imbalance}: CachePipe pairs (the default count rounded up to
     * even) against CpuSpin; wake-latency CV limit 15.
     */
    public static Scenario cachePipeIoComputeImbalance() {
        WorkerCount evenDefault = WorkerCount.computed("default rounded up to pairs",
                (env, cpuset) -> (env.workersPerCgroup() + 1) / 2 * 2);
        return Scenario.of("cache_pipe_io_compute_imbalance", "CachePipe vs CpuSpin cgroups",
                Step.withDefs(HoldSpec.FULL,
                        CgroupDef.named("cg_0").workType(new WorkType.CachePipe(32, 1024)).workers(evenDefault),
                        compute()))
                .withChecks(Thresholds.builder().maxWakeLatencyCv(15).build());
    }

    /**
     * {@code fan_out_wake}: FutexFanOut groups (1 messenger waking 4 receivers; the default count
     * rounded down to whole groups, at least one) against CpuSpin; wake-latency CV limit 10, spread
     * limit 50 %.
     */
    public static Scenario fanOutWake() {
        return Scenario.of("fan_out_wake", "1:N futex fan-out wake vs compute workers",
                Step.withDefs(HoldSpec.FULL, CgroupDef.named("cg_0").workType(new WorkType.FutexFanOut(4, 1024))
                        .workers(WorkerCount.wholeGroups(WorkerCount.DEFAULT)), compute()))
                .withChecks(Thresholds.builder().maxWakeLatencyCv(10).maxSpreadPct(50).build());
    }

    /**
     * {@code fan_out_compute}: FanOutCompute groups (a messenger stamps and wakes 4 workers, which
     * sleep 100 µs then do 5 matrix multiplications over 256 KiB) against CpuSpin; wake-latency CV
     * limit 10, spread limit 50 %.
     */
    public static Scenario fanOutCompute() {
        return Scenario.of("fan_out_compute", "Fan-out messenger/worker with compute workload",
                Step.withDefs(HoldSpec.FULL, CgroupDef.named("cg_0").workType(new WorkType.FanOutCompute(4, 256, 5, 100))
                        .workers(WorkerCount.wholeGroups(WorkerCount.DEFAULT)), compute()))
                .withChecks(Thresholds.builder().maxWakeLatencyCv(10).maxSpreadPct(50).build());
    }
}
