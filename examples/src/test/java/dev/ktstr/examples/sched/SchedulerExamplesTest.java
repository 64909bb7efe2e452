package dev.ktstr.examples.sched;

import dev.ktstr.annotations.ExpectedFailure;
import dev.ktstr.annotations.KtstrTest;
import dev.ktstr.annotations.Toggle;
import dev.ktstr.runtime.Ctx;

/**
 * Scheduler tests over the kernel's example schedulers and the fixture. The runner boots the variant's
 * VM, loads the scheduler with the variant's flags (and the test's watchdog timeout), runs the body,
 * watches the scheduler at every step boundary and stops it, failing the test with the scheduler's
 * named failure (attach, exit, ejection) when one happens. The bodies run the scenario for the test's
 * duration; scenarios from the DSL plug in here as {@code ctx.run(...)} once it lands.
 */
class SchedulerExamplesTest {

    /** Every flag profile of scx_simple (vtime and FIFO) on every accepted topology. */
    @KtstrTest(scheduler = SimpleFlag.class, durationS = 2)
    void simpleKeepsEveryWorkerRunning(Ctx ctx) throws InterruptedException {
        Thread.sleep(ctx.duration().toMillis());
    }

    /** scx_flatcg with its flags; two LLCs so cgroups spread across caches. */
    @KtstrTest(scheduler = FlatcgFlag.class, llcs = 2, cores = 2, durationS = 2)
    void flatcgKeepsEveryWorkerRunning(Ctx ctx) throws InterruptedException {
        Thread.sleep(ctx.duration().toMillis());
    }

    /** scx_central on an SMT topology: the central CPU dispatches for its siblings too. */
    @KtstrTest(scheduler = CentralFlag.class, llcs = 1, cores = 2, threads = 2, requiresSmt = true, durationS = 2)
    void centralKeepsEveryWorkerRunning(Ctx ctx) throws InterruptedException {
        Thread.sleep(ctx.duration().toMillis());
    }

    /** The fixture without failure flags is a working FIFO scheduler. */
    @KtstrTest(scheduler = FixtureFlag.class, excludedFlags = {"STALL_AFTER", "EXIT_AFTER", "ERROR_AFTER",
        "UNFAIR", "FAIL_VERIFY"}, durationS = 2)
    void fixtureSchedulesLikeFifo(Ctx ctx) throws InterruptedException {
        Thread.sleep(ctx.duration().toMillis());
    }

    /** A stall is ejected by the kernel's watchdog within the 2 s timeout plus margin. */
    @KtstrTest(scheduler = FixtureFlag.class, requiredFlags = "STALL_AFTER", excludedFlags = {"EXIT_AFTER",
        "ERROR_AFTER", "UNFAIR", "FAIL_VERIFY"}, watchdogTimeoutS = 2, durationS = 6,
            expectErr = ExpectedFailure.SCHEDULER_EJECTED)
    void fixtureStallIsEjected(Ctx ctx) throws InterruptedException {
        Thread.sleep(ctx.duration().toMillis());
    }

    /** scx_bpf_exit() ends the scheduler: the run fails as "exited" with its code. */
    @KtstrTest(scheduler = FixtureFlag.class, requiredFlags = "EXIT_AFTER", excludedFlags = {"STALL_AFTER",
        "ERROR_AFTER", "UNFAIR", "FAIL_VERIFY"}, durationS = 4, expectErr = ExpectedFailure.SCHEDULER_EXITED)
    void fixtureExitIsAnExit(Ctx ctx) throws InterruptedException {
        Thread.sleep(ctx.duration().toMillis());
    }

    /** scx_bpf_error() gets the scheduler ejected. */
    @KtstrTest(scheduler = FixtureFlag.class, requiredFlags = "ERROR_AFTER", excludedFlags = {"STALL_AFTER",
        "EXIT_AFTER", "UNFAIR", "FAIL_VERIFY"}, durationS = 4, expectErr = ExpectedFailure.SCHEDULER_EJECTED)
    void fixtureErrorIsEjected(Ctx ctx) throws InterruptedException {
        Thread.sleep(ctx.duration().toMillis());
    }

    /** A program the verifier rejects: the scheduler never attaches. */
    @KtstrTest(scheduler = FixtureFlag.class, requiredFlags = "FAIL_VERIFY", excludedFlags = {"STALL_AFTER",
        "EXIT_AFTER", "ERROR_AFTER", "UNFAIR"}, expectErr = ExpectedFailure.SCHEDULER_ATTACH_FAILED)
    void fixtureVerifierRejection(Ctx ctx) {
        throw new AssertionError("the body must not run when the scheduler did not attach: " + ctx.variant());
    }

    /** Unfair slices under contention (4 workers per cgroup on 2 CPUs) fail the fairness check. */
    @KtstrTest(scheduler = FixtureFlag.class, requiredFlags = "UNFAIR", excludedFlags = {"STALL_AFTER",
        "EXIT_AFTER", "ERROR_AFTER", "FAIL_VERIFY"}, workersPerCgroup = 4, notStarved = Toggle.ON, durationS = 3,
            expectErr = ExpectedFailure.UNFAIR)
    void fixtureUnfairFailsFairness(Ctx ctx) throws InterruptedException {
        Thread.sleep(ctx.duration().toMillis());
    }
}
