package dev.ktstr.annotations;

/** A boolean check switch that can also be left to the scheduler or the default. */
public enum Toggle {
    INHERIT,
    ON,
    OFF
}
