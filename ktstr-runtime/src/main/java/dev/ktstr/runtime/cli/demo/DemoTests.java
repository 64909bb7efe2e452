package dev.ktstr.runtime.cli.demo;

import dev.ktstr.annotations.KtstrTest;
import dev.ktstr.runtime.Ctx;
import dev.ktstr.runtime.scenario.canned.Scenarios;

/**
 * The tests {@code ktstr demo} runs, written the way a user writes them. The demo calls the runner
 * directly; in a project the annotation processor generates these calls.
 */
public class DemoTests {

    /** Two cgroups of spinning workers under the kernel's own scheduler (EEVDF). */
    @KtstrTest(llcs = 2, cores = 2, threads = 2, durationS = 3)
    public void eevdfMixed(Ctx ctx) {
        ctx.run(Scenarios.mixedWorkloads());
    }

    /** The same scenario under scx_simple. */
    @KtstrTest(scheduler = DemoScheduler.class, durationS = 3)
    public void simpleMixed(Ctx ctx) {
        ctx.run(Scenarios.mixedWorkloads());
    }
}
