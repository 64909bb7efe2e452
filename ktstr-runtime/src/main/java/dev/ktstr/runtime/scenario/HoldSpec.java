package dev.ktstr.runtime.scenario;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a {@link Step} holds after its ops and setup (ktstr facts §7): a fraction of the scenario
 * duration, a fixed time, or a loop that re-applies the step's ops every interval until the
 * scenario's duration is used up.
 */
public sealed interface HoldSpec {

    /** The whole scenario duration. */
    HoldSpec FULL = new Frac(1.0);

    static HoldSpec frac(double fraction) {
        return new Frac(fraction);
    }

    static HoldSpec fixed(Duration duration) {
        return new Fixed(duration);
    }

    static HoldSpec loop(Duration interval) {
        return new Loop(interval);
    }

    /** A short human form. */
    String describe();

    /** {@code fraction} × the scenario duration. */
    record Frac(double fraction) implements HoldSpec {
        public Frac {
            if (!(fraction > 0) || Double.isInfinite(fraction)) {
                throw new IllegalArgumentException("hold fraction must be a positive finite number, got " + fraction);
            }
        }

        /** The hold for a scenario of {@code scenarioDuration}. */
        public Duration of(Duration scenarioDuration) {
            return Duration.ofNanos(Math.round(scenarioDuration.toNanos() * fraction));
        }

        @Override
        public String describe() {
            return "frac(" + fraction + ")";
        }
    }

    /** A fixed time, independent of the scenario duration. */
    record Fixed(Duration duration) implements HoldSpec {
        public Fixed {
            Objects.requireNonNull(duration, "duration");
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("fixed hold must be positive, got " + duration);
            }
        }

        @Override
        public String describe() {
            return "fixed(" + duration.toMillis() + " ms)";
        }
    }

    /**
     * Setup once, apply the ops at once and again every {@code interval}, until the scenario's
     * duration (counted from the scenario's start) is used up; at least one interval.
     */
    record Loop(Duration interval) implements HoldSpec {
        public Loop {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("loop interval must be positive, got " + interval);
            }
        }

        @Override
        public String describe() {
            return "loop(every " + interval.toMillis() + " ms)";
        }
    }
}
