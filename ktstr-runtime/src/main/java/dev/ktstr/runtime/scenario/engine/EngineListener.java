package dev.ktstr.runtime.scenario.engine;

import dev.ktstr.runtime.result.StimulusEvent;

/**
 * Live notifications from the engine, e.g. for the monitor to cut its samples into per-step
 * phases while the scenario runs. Called on the engine's thread; must return quickly.
 */
public interface EngineListener {

    EngineListener NONE = new EngineListener() {};

    /** A step starts at {@code elapsedMs} since the scenario started. */
    default void stepStarted(int step, long elapsedMs) {}

    /** A step's hold ended. */
    default void stepEnded(StepSpan span) {}

    /** Something was recorded on the stimulus timeline. */
    default void event(StimulusEvent event) {}
}
