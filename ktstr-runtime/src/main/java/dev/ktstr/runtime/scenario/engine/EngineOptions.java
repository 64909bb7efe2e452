package dev.ktstr.runtime.scenario.engine;

import dev.ktstr.runtime.checks.Thresholds;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * How the engine runs scenarios for one test or CLI run.
 *
 * @param clock            time source (real or virtual)
 * @param watch            scheduler liveness, asked at step boundaries
 * @param listener         live step and timeline notifications
 * @param schedulerChecks  the {@code @Scheduler(checks = …)} threshold layer
 * @param testChecks       the {@code @KtstrTest} threshold layer
 * @param stopDeadline     how long the agent waits for workers' reports when stopping them
 * @param programLocator   the guest path of a Custom work program, given its host path
 * @param seed             seed for random affinities, so a run can be repeated
 */
public record EngineOptions(EngineClock clock, SchedulerWatch watch, EngineListener listener,
        Thresholds schedulerChecks, Thresholds testChecks, Duration stopDeadline,
        Function<Path, String> programLocator, long seed) {

    public EngineOptions {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(watch, "watch");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(schedulerChecks, "schedulerChecks");
        Objects.requireNonNull(testChecks, "testChecks");
        Objects.requireNonNull(stopDeadline, "stopDeadline");
        Objects.requireNonNull(programLocator, "programLocator");
    }

    /** Real clock, no watch, no listener, no scheduler/test thresholds, 5 s stop deadline, programs at their host path. */
    public static EngineOptions defaults() {
        return new EngineOptions(EngineClock.SYSTEM, SchedulerWatch.NONE, EngineListener.NONE, Thresholds.NONE,
                Thresholds.NONE, Duration.ofSeconds(5), p -> p.toAbsolutePath().toString(), 0x6b747374L);
    }

    public EngineOptions withClock(EngineClock c) {
        return new EngineOptions(c, watch, listener, schedulerChecks, testChecks, stopDeadline, programLocator, seed);
    }

    public EngineOptions withWatch(SchedulerWatch w) {
        return new EngineOptions(clock, w, listener, schedulerChecks, testChecks, stopDeadline, programLocator, seed);
    }

    public EngineOptions withListener(EngineListener l) {
        return new EngineOptions(clock, watch, l, schedulerChecks, testChecks, stopDeadline, programLocator, seed);
    }

    /** The scheduler's and the test's threshold layers. */
    public EngineOptions withChecks(Thresholds scheduler, Thresholds test) {
        return new EngineOptions(clock, watch, listener, scheduler, test, stopDeadline, programLocator, seed);
    }

    public EngineOptions withStopDeadline(Duration d) {
        return new EngineOptions(clock, watch, listener, schedulerChecks, testChecks, d, programLocator, seed);
    }

    public EngineOptions withProgramLocator(Function<Path, String> l) {
        return new EngineOptions(clock, watch, listener, schedulerChecks, testChecks, stopDeadline, l, seed);
    }

    public EngineOptions withSeed(long s) {
        return new EngineOptions(clock, watch, listener, schedulerChecks, testChecks, stopDeadline, programLocator, s);
    }
}
