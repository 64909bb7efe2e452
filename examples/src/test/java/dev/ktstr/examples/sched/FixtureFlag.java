package dev.ktstr.examples.sched;

import dev.ktstr.annotations.Flag;
import dev.ktstr.annotations.Scheduler;

/**
 * ktstr's own fixture scheduler (schedulers/ktstr-fixture): a FIFO scheduler that fails on request,
 * to test the harness's failure reporting. Each flag is one failure mode; the watchdog timeout a test
 * sets ({@code watchdogTimeoutS}) reaches it as {@code --timeout-ms}.
 */
@Scheduler(name = "ktstr_fixture", binary = "ktstr_fixture")
public enum FixtureFlag {
    /** Stop dispatching after 1 s: the sched_ext watchdog ejects it ("runnable task stall"). */
    @Flag(args = {"--stall-after", "1"}) STALL_AFTER,
    /** scx_bpf_exit() after 1 s with exit code 7: the scheduler exits. */
    @Flag(args = {"--exit-after", "1", "--exit-code", "7"}) EXIT_AFTER,
    /** scx_bpf_error() after 1 s: the kernel ejects it ("scx_bpf_error"). */
    @Flag(args = {"--error-after", "1"}) ERROR_AFTER,
    /** 20 ms slices for even pids, 0.2 ms for odd ones: a fairness check fails under contention. */
    @Flag(args = "--unfair") UNFAIR,
    /** Loads a program the verifier rejects: attaching fails. */
    @Flag(args = "--fail-verify") FAIL_VERIFY,
}
