package dev.ktstr.runtime.agent;

import java.nio.charset.StandardCharsets;

/**
 * The outcome of starting a scheduler.
 *
 * @param attached  sched_ext reported {@code enabled} with the expected ops within the timeout
 * @param state     the scheduler process and sched_ext state at that moment
 * @param output    what the scheduler printed so far (loader messages, verifier log on failure)
 */
public record SchedulerStart(boolean attached, SchedulerState state, byte[] output) {
    public String outputText() {
        return new String(output, StandardCharsets.UTF_8);
    }
}
