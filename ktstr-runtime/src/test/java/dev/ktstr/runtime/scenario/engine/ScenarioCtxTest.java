package dev.ktstr.runtime.scenario.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.runtime.Variant;
import dev.ktstr.runtime.checks.Thresholds;
import dev.ktstr.runtime.result.Outcome;
import dev.ktstr.runtime.scenario.CgroupDef;
import dev.ktstr.runtime.scenario.HoldSpec;
import dev.ktstr.runtime.scenario.Requirement;
import dev.ktstr.runtime.scenario.Scenario;
import dev.ktstr.runtime.scenario.Step;
import dev.ktstr.runtime.scenario.canned.Scenarios;
import dev.ktstr.runtime.testing.FakeAgent;
import dev.ktstr.runtime.testing.ReportBuilder;
import dev.ktstr.runtime.testing.VirtualClock;
import dev.ktstr.topology.Topology;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScenarioCtxTest {

    private final FakeAgent agent = new FakeAgent();

    private ScenarioCtx ctx() {
        return new ScenarioCtx(Variant.base(ScenarioCtxTest.class, "fairness"), Topology.of(1, 4, 1),
                Duration.ofSeconds(2), 2, null, agent, EngineOptions.defaults().withClock(new VirtualClock())
                        .withChecks(Thresholds.builder().maxGapMs(3000).build(), Thresholds.builder().maxSpreadPct(20).build()));
    }

    @Test
    void theBodyRunsScenariosStepsAndDefsAndTheRunnerGetsOneOutcome() {
        ScenarioCtx ctx = ctx();
        assertEquals(3000L, ctx.thresholds().maxGapMs());
        assertEquals(20.0, ctx.thresholds().maxSpreadPct());
        ScenarioRun a = ctx.run(Scenarios.steady());
        ScenarioRun b = ctx.runDefs(CgroupDef.named("solo").workers(3));
        assertEquals("fairness", b.scenario(), "steps run as a scenario named after the test method");
        assertEquals(List.of(a, b), ctx.runs());
        assertEquals(Outcome.passed(), ctx.outcome());
        assertEquals(List.of("steady/cg_0", "steady/cg_1", "fairness/solo"),
                ctx.cgroupStats().stream().map(c -> c.name()).toList());
        assertEquals(7_000.0, ctx.metrics().get("total_iterations"));
        assertEquals(2, ctx.stepSpans().size());
        assertEquals(1, ctx.stepSpans().get(1).step());
        assertTrue(ctx.stepSpans().get(1).startMs() >= ctx.stepSpans().get(0).endMs());
        List<Long> times = ctx.timeline().stream().map(e -> e.elapsedMs()).toList();
        for (int i = 1; i < times.size(); i++) {
            assertTrue(times.get(i) >= times.get(i - 1), "the combined timeline is ordered: " + times);
        }
    }

    @Test
    void failuresOfAnyRunFailTheTestAndAllSkippedSkipsIt() {
        ScenarioCtx ctx = ctx();
        ctx.run(Scenario.of("numa", "needs nodes", Step.hold(HoldSpec.FULL)).requiring(Requirement.minNumaNodes(2)));
        assertEquals(Outcome.Status.SKIPPED, ctx.outcome().status());
        agent.reports = (spec, i) -> ReportBuilder.worker(i).group(spec.groupId()).work(0, 0).build();
        ctx.run(Scenarios.steady());
        Outcome o = ctx.outcome();
        assertEquals(Outcome.Status.FAILED, o.status());
        assertTrue(o.failures().stream().allMatch(f -> f.kind().equals("Starved")), o.toString());
    }
}
