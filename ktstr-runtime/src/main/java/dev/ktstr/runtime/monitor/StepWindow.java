package dev.ktstr.runtime.monitor;

/**
 * A scenario step's time window, in milliseconds since the monitor started ({@link
 * Monitor#elapsedMs(long)} converts a {@link System#nanoTime()} reading).
 *
 * @param step    the step's index
 * @param startMs inclusive
 * @param endMs   exclusive
 */
public record StepWindow(int step, long startMs, long endMs) {

    public StepWindow {
        if (endMs < startMs) {
            throw new IllegalArgumentException("step " + step + " ends (" + endMs + " ms) before it starts (" + startMs
                    + " ms)");
        }
    }

    boolean contains(long ms) {
        return ms >= startMs && ms < endMs;
    }
}
