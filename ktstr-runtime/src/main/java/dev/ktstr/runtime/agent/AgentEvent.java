package dev.ktstr.runtime.agent;

/** Something the agent reports without being asked. */
public sealed interface AgentEvent {

    /** A background process exited. */
    record ProcessExited(String name, int pid, int exitCode, int termSignal) implements AgentEvent {}

    /** The scheduler process exited (or was found dead). */
    record SchedulerExited(int pid, int exitCode, int termSignal, String state, byte[] outputTail)
            implements AgentEvent {}

    /** A kernel message about sched_ext (e.g. "sched_ext: BPF scheduler "x" disabled (runnable task stall)"). */
    record KernelMessage(String line) implements AgentEvent {}

    /** A log line from the agent. Level: 0 debug, 1 info, 2 warn, 3 error. */
    record Log(int level, String text) implements AgentEvent {}

    /** The agent is about to die. */
    record Crash(String message) implements AgentEvent {}
}
