package dev.ktstr.runtime.scenario;

import java.util.Objects;

/**
 * Replaces the work type of cgroup definitions for a whole run (ktstr facts §7.2, last note): a
 * gauntlet's work-type axis or {@code ktstr run --work-type}. Only {@link CgroupDef}-based setup is
 * affected, never {@link Op.Spawn}; a replacement is skipped for a group whose worker count is not a
 * multiple of the new type's group size.
 *
 * @param type   the replacement
 * @param scope  which definitions it replaces
 */
public record WorkTypeOverride(WorkType type, Scope scope) {

    public WorkTypeOverride {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(scope, "scope");
        if (type instanceof WorkType.Custom) {
            throw new IllegalArgumentException("a Custom work type cannot be an override");
        }
    }

    /** Which cgroup definitions an override touches. */
    public enum Scope {
        /** Only definitions marked {@link CgroupDef#swappable(boolean) swappable} (tests). */
        SWAPPABLE,
        /** Swappable definitions and every CpuSpin group ({@code ktstr run}, catalog scenarios). */
        SWAPPABLE_AND_CPU_SPIN
    }

    /** Whether a group of {@code work} in a definition with the given swappable flag is replaced. */
    public boolean applies(boolean swappable, Work work) {
        return swappable || (scope == Scope.SWAPPABLE_AND_CPU_SPIN && work.type() instanceof WorkType.CpuSpin);
    }
}
