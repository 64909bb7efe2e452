package dev.ktstr.processor.model;

import dev.ktstr.topology.Topology;
import java.util.List;
import java.util.Optional;

/**
 * A validated {@code @Scheduler} enum: what the expansion needs from it.
 *
 * @param className       the enum's canonical name (how generated code and messages name it)
 * @param name            the scheduler's name ({@code sched-<name>} tag, results)
 * @param binary          the scheduler binary, empty for the kernel default
 * @param topology        the default topology its tests inherit attribute by attribute
 * @param constraints     its gauntlet constraints, each unset one {@link PartialConstraints#UNSET}
 * @param flags           its flags in declaration order
 */
public record SchedulerModel(
        String className, String name, String binary, Topology topology, PartialConstraints constraints,
        List<FlagDecl> flags) {

    public SchedulerModel {
        flags = List.copyOf(flags);
    }

    /** Whether it is the kernel's own scheduler (no sched_ext binary is loaded). */
    public boolean isKernelDefault() {
        return binary.isEmpty();
    }

    /** The flag with this constant name or kebab name. */
    public Optional<FlagDecl> flag(String constantOrName) {
        for (FlagDecl f : flags) {
            if (f.constant().equals(constantOrName) || f.name().equals(constantOrName)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** The flags' kebab names in declaration order. */
    public List<String> flagNames() {
        return flags.stream().map(FlagDecl::name).toList();
    }
}
