package dev.ktstr.runtime.scenario.engine;

/**
 * When a step ran, in milliseconds since the scenario started: from its start (before its ops)
 * to the end of its hold (before its workers are stopped).
 *
 * @param step     0-based step index
 * @param startMs  start
 * @param endMs    end of the hold
 */
public record StepSpan(int step, long startMs, long endMs) {

    public long durationMs() {
        return endMs - startMs;
    }
}
