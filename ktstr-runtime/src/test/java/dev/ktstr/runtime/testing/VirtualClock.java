package dev.ktstr.runtime.testing;

import dev.ktstr.runtime.scenario.engine.EngineClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A clock whose sleeps advance time instantly; records every sleep. */
public final class VirtualClock implements EngineClock {

    private long now = 1_000_000_000L;
    private final List<Duration> sleeps = new ArrayList<>();

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized void sleep(Duration d) {
        sleeps.add(d);
        if (d.toNanos() > 0) {
            now += d.toNanos();
        }
    }

    /** Advances time without a sleep (e.g. an agent call that takes a while). */
    public synchronized void advance(Duration d) {
        now += d.toNanos();
    }

    public synchronized List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }
}
