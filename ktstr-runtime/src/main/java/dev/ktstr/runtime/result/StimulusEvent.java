package dev.ktstr.runtime.result;

/**
 * One entry of the stimulus timeline.
 *
 * @param elapsedMs             since the scenario started
 * @param step                  0-based step index
 * @param kind                  {@code step-start}, {@code step-end}, or the op kind (e.g. {@code SetCpuset})
 * @param detail                human-readable detail, e.g. {@code cg_0 cpus=0-3}
 * @param cumulativeIterations  total worker iterations so far
 */
public record StimulusEvent(long elapsedMs, int step, String kind, String detail, long cumulativeIterations) {}
