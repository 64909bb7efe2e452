package dev.ktstr.runtime.scenario.engine;

import java.time.Duration;

/** Time as the engine sees it; tests substitute a virtual clock so holds take no real time. */
public interface EngineClock {

    /** The real clock: {@link System#nanoTime()} and {@link Thread#sleep}. */
    EngineClock SYSTEM = new EngineClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(Duration d) throws InterruptedException {
            long ns = d.toNanos();
            if (ns > 0) {
                Thread.sleep(ns / 1_000_000, (int) (ns % 1_000_000));
            }
        }
    };

    /** A monotonic time in nanoseconds. */
    long nanoTime();

    /** Blocks for {@code d} (returns at once for zero or negative). */
    void sleep(Duration d) throws InterruptedException;
}
