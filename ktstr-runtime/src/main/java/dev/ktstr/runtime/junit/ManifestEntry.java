package dev.ktstr.runtime.junit;

import dev.ktstr.topology.Topology;
import java.util.List;
import java.util.Objects;

/**
 * One variant as the processor's manifest describes it (see the processor's {@code ManifestRenderer}
 * for the file format).
 *
 * @param id              the variant id, {@code ktstr/NAME} or {@code gauntlet/NAME/PRESET/PROFILE}
 * @param testClass       binary name of the class declaring the {@code @KtstrTest} method
 * @param test            the method's name
 * @param generatedClass  binary name of the generated class holding the JUnit method
 * @param generatedMethod the generated JUnit method's name
 * @param hostOnly        whether it runs without a VM
 * @param preset          the gauntlet preset, or {@code null} for a base test
 * @param topology        the VM topology
 * @param memoryMb        the VM memory
 * @param scheduler       the scheduler's name
 * @param flags           the active flags
 * @param durationS       the scenario duration
 * @param costSecs        the processor's estimate of its wall-clock seconds (positive)
 * @param features        the features it exercises
 */
public record ManifestEntry(
        String id, String testClass, String test, String generatedClass, String generatedMethod, boolean hostOnly,
        String preset, Topology topology, long memoryMb, String scheduler, List<String> flags, int durationS,
        double costSecs, List<String> features) {

    public ManifestEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(generatedClass, "generatedClass");
        Objects.requireNonNull(generatedMethod, "generatedMethod");
        flags = List.copyOf(flags);
        features = List.copyOf(features);
        if (!(costSecs > 0) || Double.isInfinite(costSecs)) {
            throw new IllegalArgumentException("variant " + id + " has cost " + costSecs + "; costs must be positive");
        }
    }

    /** {@code generatedClass#generatedMethod}: unique, and what JUnit's {@code MethodSource} names. */
    public String key() {
        return key(generatedClass, generatedMethod);
    }

    public static String key(String className, String methodName) {
        return className + "#" + methodName;
    }
}
