package dev.ktstr.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.annotations.KtstrTest;
import dev.ktstr.runtime.Ctx;
import dev.ktstr.topology.Presets;
import dev.ktstr.topology.Topology;

/**
 * Tests of the demo scheduler under every flag profile. Until the scenario API lands, the bodies check
 * what every VM must get right: the topology and settings the variant asked for.
 */
class FairnessTest {

    /** Every one of the 48 profiles on every preset with at most 4 LLCs and 16 CPUs. */
    @KtstrTest(scheduler = DemoFlag.class, maxLlcs = 4, maxCpus = 16, durationS = 3)
    void vmMatchesTheVariant(Ctx ctx) {
        Topology t = ctx.topology();
        if (ctx.variant().isGauntlet()) {
            assertEquals(Presets.byName(ctx.variant().preset()).orElseThrow().topology(), t);
        } else {
            assertEquals(new Topology(1, 2, 2, 1), t, "the base test runs on DemoFlag's @Topology");
        }
        assertEquals(3, ctx.duration().toSeconds());
    }

    /** Only profiles with work stealing (and so LLC awareness), on SMT machines of 2 to 4 LLCs. */
    @KtstrTest(scheduler = DemoFlag.class, requiredFlags = "steal", excludedFlags = "NO_CTRL",
            minLlcs = 2, maxLlcs = 4, maxCpus = 32, requiresSmt = true, workersPerCgroup = 4)
    void stealingKeepsEveryLlcBusy(Ctx ctx) {
        assertTrue(ctx.variant().flags().containsAll(java.util.List.of("llc", "steal")), ctx.variant().profile());
        assertTrue(ctx.topology().hasSmt());
        assertEquals(4, ctx.workersPerCgroup());
    }
}
