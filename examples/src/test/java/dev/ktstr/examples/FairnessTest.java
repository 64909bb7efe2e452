package dev.ktstr.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.annotations.KtstrTest;
import dev.ktstr.annotations.Toggle;
import dev.ktstr.runtime.Ctx;
import dev.ktstr.runtime.result.CgroupStats;
import dev.ktstr.runtime.scenario.CgroupDef;
import dev.ktstr.runtime.scenario.canned.Catalog;
import dev.ktstr.runtime.scenario.canned.Scenarios;
import dev.ktstr.runtime.scenario.engine.ScenarioRun;
import dev.ktstr.topology.CpuSet;
import dev.ktstr.topology.Topology;
import java.util.Set;
import java.util.TreeSet;

/**
 * ktstr's fixture scheduler under its built-in flags ({@link BuiltInFlag}). Every body runs real
 * scenarios in the variant's VM; the runner judges each run's workers (starvation, fairness spread,
 * scheduling gaps, and isolation where a test turns it on) and the scheduler's health, and the bodies
 * check what the flags promise, from the scheduler's own counters ({@link FixtureCounters}) and from
 * where the workers ran.
 */
class FairnessTest {

    /** Every one of the 48 profiles on every preset with at most 4 LLCs and 16 CPUs. */
    @KtstrTest(scheduler = BuiltInFlag.class, maxLlcs = 4, maxCpus = 16, durationS = 3)
    void steadyLoadIsFair(Ctx ctx) throws Exception {
        ctx.run(Scenarios.steady());
        FixtureCounters.assertFlagsTookEffect(ctx);
    }

    /** A worker per CPU reaches every LLC when idle CPUs steal, on SMT machines of 2 to 4 LLCs. */
    @KtstrTest(scheduler = BuiltInFlag.class, requiredFlags = "steal", excludedFlags = "NO_CTRL",
            minLlcs = 2, maxLlcs = 4, maxCpus = 16, requiresSmt = true)
    void stealingKeepsEveryLlcBusy(Ctx ctx) throws Exception {
        ScenarioRun run = ctx.runDefs(CgroupDef.named("cg_0").workers(ctx.topology().totalCpus()));
        assertEveryLlcUsed(ctx.topology(), run);
    }

    /** Without stealing or borrowing, the rebalancing timer alone moves queued work to idle LLCs. */
    @KtstrTest(scheduler = BuiltInFlag.class, requiredFlags = {"LLC", "REBAL"},
            excludedFlags = {"BORROW", "STEAL", "NO_CTRL"}, minLlcs = 2, maxCpus = 16, durationS = 3)
    void rebalancingSpreadsQueuedWork(Ctx ctx) throws Exception {
        ScenarioRun run = ctx.runDefs(CgroupDef.named("cg_0").workers(ctx.topology().totalCpus()));
        assertEveryLlcUsed(ctx.topology(), run);
        assertTrue(FixtureCounters.require(ctx).get("rebal_moved") > 0, "the timer moved no task");
    }

    /** Workers pinned to single CPUs in cpusets, with and without the pinned fast path. */
    @KtstrTest(scheduler = BuiltInFlag.class, excludedFlags = {"BORROW", "STEAL", "REBAL", "NO_CTRL"},
            isolation = Toggle.ON, maxLlcs = 2, maxCpus = 8)
    void pinnedWorkersKeepTheirCpus(Ctx ctx) throws Exception {
        ctx.run(Catalog.get("cgroup_affinity_pinned").scenario());
        FixtureCounters c = FixtureCounters.require(ctx);
        boolean rejected = ctx.variant().flags().contains("reject-pin");
        assertEquals(rejected, c.get("pinned_queued") > 0, "pinned tasks queued with the others " + c.values());
        assertEquals(!rejected, c.get("local") > 0, "pinned tasks went to their CPU directly " + c.values());
    }

    /** Fails unless the workers of {@code run} ran on CPUs of every LLC of {@code topology}. */
    static void assertEveryLlcUsed(Topology topology, ScenarioRun run) {
        Set<Integer> llcs = new TreeSet<>();
        for (CgroupStats c : run.cgroups()) {
            CpuSet.parse(c.cpusUsed()).stream().forEach(cpu -> llcs.add(topology.llcOf(cpu)));
        }
        assertEquals(topology.llcs(), llcs.size(), "LLCs the workers ran on: " + llcs + " of " + topology.llcs());
    }
}
