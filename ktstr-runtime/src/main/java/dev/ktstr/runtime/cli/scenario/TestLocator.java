package dev.ktstr.runtime.cli.scenario;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;

/**
 * Finds a {@code @KtstrTest} method by the name a user types into {@code show-thresholds}. The
 * default ({@link ReflectiveTestLocator}) understands {@code com.example.QmapTest#fair} and
 * {@code com.example.QmapTest.fair} on the classpath; the integrator may add one that also knows
 * bare test names from the variant manifest.
 */
public interface TestLocator {

    /** The test method, if {@code name} names one. */
    Optional<Method> find(String name);

    /** Names this locator can list, for "did you mean" (may be empty). */
    default List<String> knownNames() {
        return List.of();
    }
}
