package dev.ktstr.processor.model;

import dev.ktstr.topology.Topology;
import java.util.List;

/**
 * One generated test: a {@code @KtstrTest} method on one topology with one flag profile. The id
 * follows ktstr: {@code ktstr/NAME} for the base test, {@code gauntlet/NAME/PRESET/PROFILE} for a
 * gauntlet variant (the runtime's {@code Variant.id()} computes the same string).
 *
 * @param test     the test it expands
 * @param preset   the gauntlet preset, or {@code null} for the base test
 * @param topology the VM topology
 * @param memoryMb the VM memory
 * @param flags    the active flags' names in declaration order
 */
public record VariantModel(TestModel test, String preset, Topology topology, long memoryMb, List<String> flags) {

    public VariantModel {
        flags = List.copyOf(flags);
    }

    public boolean isGauntlet() {
        return preset != null;
    }

    public String profile() {
        return FlagProfiles.profileName(flags);
    }

    public String id() {
        return isGauntlet()
                ? "gauntlet/" + test.method() + "/" + preset + "/" + profile()
                : "ktstr/" + test.method();
    }
}
