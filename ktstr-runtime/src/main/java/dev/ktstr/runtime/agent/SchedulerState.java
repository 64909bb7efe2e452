package dev.ktstr.runtime.agent;

/**
 * The scheduler as the agent sees it.
 *
 * @param pid         scheduler process id (0 if none)
 * @param running     the process is alive
 * @param exitCode    exit code once it exited
 * @param termSignal  signal that killed it, or 0
 * @param state       contents of {@code /sys/kernel/sched_ext/state} ({@code enabled}, {@code disabled}, ...)
 * @param ops         contents of {@code /sys/kernel/sched_ext/root/ops} ("" when none)
 */
public record SchedulerState(int pid, boolean running, int exitCode, int termSignal, String state, String ops) {}
