package dev.ktstr.runtime.kernel;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Whether a kernel has a capability (BTF, a PVH entry, sched_ext) as far as the harness could tell:
 * a kernel found at {@code /boot} without its config or vmlinux has {@link #UNKNOWN} facts, which is
 * different from a kernel known to lack them.
 */
public enum FeatureState {
    @JsonProperty("yes")
    YES,
    @JsonProperty("no")
    NO,
    @JsonProperty("unknown")
    UNKNOWN;

    public static FeatureState of(boolean present) {
        return present ? YES : NO;
    }

    /** "yes", "no" or "?" for tables. */
    public String shortLabel() {
        return switch (this) {
            case YES -> "yes";
            case NO -> "no";
            case UNKNOWN -> "?";
        };
    }
}
