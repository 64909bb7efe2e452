package dev.ktstr.runtime.agent;

/** The end of a scheduler: exit status, whether sched_ext detached, and the scheduler's own output. */
public record SchedulerStop(int exitCode, int termSignal, boolean detached, byte[] output) {}
