package dev.ktstr.runtime.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ktstr.runtime.Variant;
import dev.ktstr.runtime.checks.Thresholds;
import dev.ktstr.runtime.result.Outcome;
import dev.ktstr.runtime.scenario.canned.Scenarios;
import dev.ktstr.runtime.scenario.engine.EngineOptions;
import dev.ktstr.runtime.scenario.engine.ScenarioCtx;
import dev.ktstr.runtime.scenario.engine.ScenarioRun;
import dev.ktstr.runtime.testing.FakeAgent;
import dev.ktstr.runtime.testing.VirtualClock;
import dev.ktstr.topology.Topology;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The examples of docs/scenarios.md, compiled and run against a fake agent so the docs stay true. */
class DocsExamplesTest {

    private final ScenarioCtx ctx = new ScenarioCtx(Variant.base(DocsExamplesTest.class, "docs"),
            new Topology(1, 2, 4, 1), Duration.ofSeconds(2), 2, null, new FakeAgent(),
            EngineOptions.defaults().withClock(new VirtualClock()));

    @Test
    void cannedScenario() {
        ScenarioRun run = ctx.run(Scenarios.steady());
        assertEquals(Outcome.Status.PASSED, run.status(), run.report());
    }

    @Test
    void cgroupsForTheWholeRun() {
        ScenarioRun run = ctx.runDefs(
                CgroupDef.named("cg_0").withCpuset(CpusetSpec.disjoint(0, 2)).workers(4),
                CgroupDef.named("cg_1").withCpuset(CpusetSpec.disjoint(1, 2))
                        .workType(WorkType.Bursty.ms(50, 100)).schedPolicy(SchedPolicy.BATCH));
        assertEquals(Outcome.Status.PASSED, run.status(), run.report());
    }

    @Test
    void stepsOverABackdrop() {
        Scenario cpusetApply = Scenario.of("my_cpuset_apply", "disjoint cpusets applied half-way",
                        Step.hold(HoldSpec.frac(0.5)),
                        Step.of(HoldSpec.frac(0.5),
                                Op.setCpuset("cg_0", CpusetSpec.disjoint(0, 2)),
                                Op.setCpuset("cg_1", CpusetSpec.disjoint(1, 2))))
                .withBackdrop(Backdrop.EMPTY.withCgroups(CgroupDef.named("cg_0"), CgroupDef.named("cg_1")))
                .withChecks(Thresholds.builder().isolation(true).build());
        ScenarioRun run = ctx.run(cpusetApply);
        assertEquals(Outcome.Status.PASSED, run.status(), run.report());
    }

    @Test
    void loopsFactoriesAndConcurrentGroups() {
        Scenario flip = Scenario.of("llc_flip", "swap two LLC-bound cgroups every 200 ms",
                        Step.withFactory("one cgroup per LLC", env -> java.util.List.of(
                                CgroupDef.named("cg_0").withCpuset(CpusetSpec.llc(0))
                                        .workers(WorkerCount.perCpusetCpu(2.0)),
                                CgroupDef.named("cg_1").withCpuset(CpusetSpec.llc(1))
                                        .work(Work.of(new WorkType.PipeIo(1024)).workers(2))
                                        .work(Work.defaults().withAffinity(AffinityKind.SINGLE_CPU))),
                                HoldSpec.loop(Duration.ofMillis(200)))
                        .setOps(Op.swapCpusets("cg_0", "cg_1")))
                .requiring(Requirement.minLlcs(2));
        ScenarioRun run = ctx.run(flip);
        assertEquals(Outcome.Status.PASSED, run.status(), run.report());
    }

    @Test
    void hostContentionAndPayloads() {
        ScenarioRun run = ctx.run(
                Step.withDefs(HoldSpec.FULL, CgroupDef.named("cg_0"))
                        .setOps(Op.spawnHost(Work.defaults().workers(WorkerCount.perCpu(1.0))),
                                Op.runPayload("stress", "", "/usr/bin/stress-ng", "--cpu", "1")));
        assertEquals(Outcome.Status.PASSED, run.status(), run.report());
    }
}
