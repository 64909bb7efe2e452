package dev.ktstr.examples.sched;

import dev.ktstr.annotations.Flag;
import dev.ktstr.annotations.Scheduler;

/**
 * scx_central: one CPU makes every scheduling decision and the others run what it hands them
 * (getopt {@code "s:c:vh"}: {@code -s} slice in µs, {@code -c} the central CPU). Needs at least two
 * CPUs for {@code -c 1}.
 */
@Scheduler(name = "central", binary = "scx_central", minCpus = 2)
public enum CentralFlag {
    /** A 5 ms slice instead of the default 20 ms ({@code -s 5000}, µs). */
    @Flag(args = {"-s", "5000"}) SHORT_SLICE,
    /** CPU 1 is the central CPU instead of CPU 0 ({@code -c 1}). */
    @Flag(args = {"-c", "1"}) CENTRAL_CPU1,
}
