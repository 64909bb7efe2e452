package dev.ktstr.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.annotations.KtstrTest;
import dev.ktstr.runtime.Ctx;

/**
 * Tests under the kernel's own scheduler (EEVDF): no {@code scheduler} attribute, so no flags, and one
 * gauntlet variant per preset.
 */
class EevdfBaselineTest {

    /** The declared topology for the base test; every preset up to 16 CPUs for the gauntlet. */
    @KtstrTest(llcs = 2, cores = 4, threads = 2, maxCpus = 16)
    static void baselineOnSmallMachines(Ctx ctx) {
        assertTrue(ctx.topology().totalCpus() <= 16);
        assertEquals("default", ctx.variant().profile());
    }

    /** A host-only test: no VM, runs under whatever scheduler the host has; Surefire runs it. */
    @KtstrTest(hostOnly = true, durationS = 1)
    void hostSideProbe(Ctx ctx) {
        assertEquals(1, ctx.duration().toSeconds());
    }
}
