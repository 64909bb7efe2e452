package dev.ktstr.examples.sched;

import dev.ktstr.annotations.ExpectedFailure;
import dev.ktstr.annotations.KtstrTest;
import dev.ktstr.annotations.Toggle;
import dev.ktstr.runtime.Ctx;
import dev.ktstr.runtime.scenario.CgroupDef;
import dev.ktstr.runtime.scenario.canned.Scenarios;

/**
 * Scheduler tests over the kernel's example schedulers and the fixture. The runner boots the variant's
 * VM, loads the scheduler with the variant's flags (and the test's watchdog timeout), runs the body,
 * watches the scheduler at every step boundary and stops it, failing the test with the scheduler's
 * named failure (attach, exit, ejection) when one happens. The bodies run canned scenarios; the
 * runner judges every run's workers (starvation, fairness spread, scheduling gaps, isolation where a
 * test turns it on). The fixture's failure tests expect their failure ({@code expectErr}): the run
 * passes only when it fails that way.
 */
class SchedulerExamplesTest {

    /** Every flag profile of scx_simple (vtime and FIFO) on every accepted topology: heavy, bursty and IO cgroups. */
    @KtstrTest(scheduler = SimpleFlag.class, maxCpus = 32, durationS = 2)
    void simpleKeepsEveryWorkerRunning(Ctx ctx) {
        ctx.run(Scenarios.mixedWorkloads());
    }

    /** scx_flatcg with its flags on nested cgroups (what it flattens); two LLCs so cgroups spread across caches. */
    @KtstrTest(scheduler = FlatcgFlag.class, llcs = 2, cores = 2, maxCpus = 32, durationS = 2)
    void flatcgKeepsEveryWorkerRunning(Ctx ctx) {
        ctx.run(Scenarios.nestedSteady());
    }

    /** scx_central on an SMT topology: the central CPU dispatches for its siblings too. */
    @KtstrTest(scheduler = CentralFlag.class, llcs = 1, cores = 2, threads = 2, requiresSmt = true, maxCpus = 32,
            durationS = 2)
    void centralKeepsEveryWorkerRunning(Ctx ctx) {
        ctx.run(Scenarios.steady());
    }

    /** The fixture without failure flags is a working FIFO scheduler: cpusets applied mid-run hold. */
    @KtstrTest(scheduler = FixtureFlag.class, excludedFlags = {"STALL_AFTER", "EXIT_AFTER", "ERROR_AFTER",
        "UNFAIR", "FAIL_VERIFY"}, isolation = Toggle.ON, maxCpus = 16, durationS = 2)
    void fixtureSchedulesLikeFifo(Ctx ctx) {
        ctx.run(Scenarios.cpusetApply());
    }

    /** A stall is ejected by the kernel's watchdog within the 2 s timeout plus margin. */
    @KtstrTest(scheduler = FixtureFlag.class, requiredFlags = "STALL_AFTER", excludedFlags = {"EXIT_AFTER",
        "ERROR_AFTER", "UNFAIR", "FAIL_VERIFY"}, maxCpus = 8, watchdogTimeoutS = 2, durationS = 6,
            expectErr = ExpectedFailure.SCHEDULER_EJECTED)
    void fixtureStallIsEjected(Ctx ctx) {
        ctx.run(Scenarios.steady());
    }

    /** scx_bpf_exit() ends the scheduler: the run fails as "exited" with its code. */
    @KtstrTest(scheduler = FixtureFlag.class, requiredFlags = "EXIT_AFTER", excludedFlags = {"STALL_AFTER",
        "ERROR_AFTER", "UNFAIR", "FAIL_VERIFY"}, maxCpus = 8, durationS = 4,
            expectErr = ExpectedFailure.SCHEDULER_EXITED)
    void fixtureExitIsAnExit(Ctx ctx) {
        ctx.run(Scenarios.steady());
    }

    /** scx_bpf_error() gets the scheduler ejected. */
    @KtstrTest(scheduler = FixtureFlag.class, requiredFlags = "ERROR_AFTER", excludedFlags = {"STALL_AFTER",
        "EXIT_AFTER", "UNFAIR", "FAIL_VERIFY"}, maxCpus = 8, durationS = 4,
            expectErr = ExpectedFailure.SCHEDULER_EJECTED)
    void fixtureErrorIsEjected(Ctx ctx) {
        ctx.run(Scenarios.steady());
    }

    /** A program the verifier rejects: the scheduler never attaches. */
    @KtstrTest(scheduler = FixtureFlag.class, requiredFlags = "FAIL_VERIFY", excludedFlags = {"STALL_AFTER",
        "EXIT_AFTER", "ERROR_AFTER", "UNFAIR"}, maxCpus = 8, expectErr = ExpectedFailure.SCHEDULER_ATTACH_FAILED)
    void fixtureVerifierRejection(Ctx ctx) {
        throw new AssertionError("the body must not run when the scheduler did not attach: " + ctx.variant());
    }

    /** Unfair slices under contention (two spinners per CPU in one cgroup) fail the fairness check. */
    @KtstrTest(scheduler = FixtureFlag.class, requiredFlags = "UNFAIR", excludedFlags = {"STALL_AFTER",
        "EXIT_AFTER", "ERROR_AFTER", "FAIL_VERIFY"}, maxCpus = 8, notStarved = Toggle.ON, durationS = 3,
            expectErr = ExpectedFailure.UNFAIR)
    void fixtureUnfairFailsFairness(Ctx ctx) {
        ctx.runDefs(CgroupDef.named("cg_0").workers(2 * ctx.topology().totalCpus()));
    }
}
