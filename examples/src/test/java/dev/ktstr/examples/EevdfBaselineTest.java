package dev.ktstr.examples;

import dev.ktstr.annotations.KtstrTest;
import dev.ktstr.annotations.Toggle;
import dev.ktstr.runtime.Ctx;
import dev.ktstr.runtime.scenario.canned.Scenarios;

/**
 * Tests under the kernel's own scheduler (EEVDF): no {@code scheduler} attribute, so no flags, and one
 * gauntlet variant per preset. The baseline runs an even load, then cpusets resized under it with the
 * isolation check on.
 */
class EevdfBaselineTest {

    /** The declared topology for the base test; every preset up to 16 CPUs for the gauntlet. */
    @KtstrTest(llcs = 2, cores = 4, threads = 2, maxCpus = 16, isolation = Toggle.ON)
    static void baselineOnSmallMachines(Ctx ctx) {
        ctx.run(Scenarios.steady());
        ctx.run(Scenarios.cpusetResize());
    }

    /** A host-only test: no VM, runs under whatever scheduler the host has; Surefire runs it. */
    @KtstrTest(hostOnly = true, durationS = 1)
    void hostSideProbe(Ctx ctx) {
        ctx.run(Scenarios.steady());
    }
}
