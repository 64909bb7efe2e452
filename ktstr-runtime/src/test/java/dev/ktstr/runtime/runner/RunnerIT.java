package dev.ktstr.runtime.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ktstr.annotations.ExpectedFailure;
import dev.ktstr.annotations.KtstrTest;
import dev.ktstr.runtime.Ctx;
import dev.ktstr.runtime.KtstrRunner;
import dev.ktstr.runtime.Variant;
import dev.ktstr.runtime.result.ResultFiles;
import dev.ktstr.runtime.result.RunResult;
import dev.ktstr.runtime.scenario.CgroupDef;
import dev.ktstr.runtime.scenario.CpusetSpec;
import dev.ktstr.runtime.scenario.HoldSpec;
import dev.ktstr.runtime.scenario.Scenario;
import dev.ktstr.runtime.scenario.SchedPolicy;
import dev.ktstr.runtime.scenario.Step;
import dev.ktstr.runtime.scenario.canned.Scenarios;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The runner end to end on real guests under the kernel's own scheduler. */
@Tag("vm")
class RunnerIT {

    /** Test methods as a user writes them; the IT calls the runner the way generated code does. */
    static class Subject {
        @KtstrTest(llcs = 1, cores = 2, durationS = 2)
        void steady(Ctx ctx) {
            ctx.run(Scenarios.steady());
        }

        /**
         * A SCHED_IDLE worker next to a FIFO hog on CPU 1 starves once RT throttling and the fair
         * server (which would otherwise hand normal and idle tasks 5 % of the CPU) are off there;
         * the agent keeps running on CPU 0.
         */
        @KtstrTest(cores = 2, durationS = 2, expectErr = ExpectedFailure.STARVED)
        void idleStarvesBesideFifo(Ctx ctx) throws Exception {
            ctx.agent().writeFile("/proc/sys/kernel/sched_rt_runtime_us", "-1".getBytes(), false);
            ctx.agent().writeFile("/sys/kernel/debug/sched/fair_server/cpu1/runtime", "0".getBytes(), false);
            ctx.run(Step.withDefs(HoldSpec.FULL,
                    CgroupDef.named("hog").withCpuset(CpusetSpec.exact(1)).workers(1).schedPolicy(SchedPolicy.fifo(50)),
                    CgroupDef.named("idle").withCpuset(CpusetSpec.exact(1)).workers(1).schedPolicy(SchedPolicy.IDLE)));
        }

        @KtstrTest(cores = 2, durationS = 2)
        void starvesWithoutSayingSo(Ctx ctx) throws Exception {
            idleStarvesBesideFifo(ctx);
        }

        /** A cpuset on CPU 7 of a 2-CPU guest. */
        @KtstrTest(cores = 2, durationS = 1)
        void invalidScenario(Ctx ctx) {
            ctx.run(Scenario.of("bad", "cpuset outside the topology",
                    Step.withDefs(HoldSpec.FULL, CgroupDef.named("cg").withCpuset(CpusetSpec.exact(7)))));
        }
    }

    /** A scenario the validator refuses is an ERROR that names the problem; nothing reached the guest. */
    @Test
    void anInvalidScenarioInATestBodyIsAnErrorBeforeAnyWorker() throws Exception {
        Variant v = Variant.base(Subject.class, "invalidScenario");
        List<RunnerSupport.Repetition> reps = RunnerSupport.execute(TestDeclaration.of(v),
                ctx -> new Subject().invalidScenario(ctx));
        assumeTrue(reps.get(0).outcome().status() != dev.ktstr.runtime.result.Outcome.Status.SKIPPED,
                () -> reps.get(0).outcome().failures().toString());
        RunnerSupport.Repetition r = reps.get(0);
        assertEquals(dev.ktstr.runtime.result.Outcome.Status.ERROR, r.outcome().status(), r.describe());
        assertEquals(List.of("InvalidScenario: scenario 'bad': step 0 cgroup cg: cpuset 7 names CPUs 7 outside the "
                + "topology 1n1l2c1t (CPUs 0-1)"), r.outcome().failures().stream().map(f -> f.message()).toList());
        RunResult written = ResultFiles.mapper().readValue(r.file().toFile(), RunResult.class);
        assertTrue(written.timeline().isEmpty(), "nothing happened in the guest: " + written.timeline());
        assertThrows(AssertionFailedError.class, () -> KtstrRunner.run(v, ctx -> new Subject().invalidScenario(ctx)));
    }

    @Test
    void aSteadyScenarioPassesAndIsRecorded() throws Exception {
        Variant v = Variant.base(Subject.class, "steady");
        TestDeclaration d = TestDeclaration.of(v);
        List<RunnerSupport.Repetition> reps = RunnerSupport.execute(d, ctx -> new Subject().steady(ctx));
        assumeTrue(reps.get(0).outcome().status() != dev.ktstr.runtime.result.Outcome.Status.SKIPPED,
                () -> reps.get(0).outcome().failures().toString());
        RunnerSupport.Repetition r = reps.get(0);
        assertEquals(dev.ktstr.runtime.result.Outcome.Status.PASSED, r.outcome().status(), r.describe());
        assertNotNull(r.file());
        RunResult written = ResultFiles.mapper().readValue(r.file().toFile(), RunResult.class);
        assertEquals("ktstr/steady", written.variant());
        assertEquals("1n1l2c1t", written.topology());
        assertEquals("eevdf", written.scheduler());
        assertTrue(written.metrics().get("total_iterations") > 0, written.metrics().toString());
        assertTrue(!written.timeline().isEmpty());
    }

    @Test
    void anExpectedStarvationPassesOnlyBecauseItHappens() throws Exception {
        KtstrRunner.run(Variant.base(Subject.class, "idleStarvesBesideFifo"),
                ctx -> new Subject().idleStarvesBesideFifo(ctx));
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> KtstrRunner.run(
                Variant.base(Subject.class, "starvesWithoutSayingSo"), ctx -> new Subject().starvesWithoutSayingSo(ctx)));
        assertTrue(e.getMessage().startsWith("ktstr_test 'starvesWithoutSayingSo' [eevdf] [topo=1n1l2c1t] failed:"),
                e.getMessage());
        assertTrue(e.getMessage().contains("Starved"), e.getMessage());
        assertTrue(e.getMessage().contains("--- stats ---"), e.getMessage());
    }
}
