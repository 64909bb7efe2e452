package dev.ktstr.processor.model;

import java.util.List;

/**
 * The class declaring {@code @KtstrTest} methods, named the ways generated code needs.
 *
 * @param packageName   its package ({@code ""} for the unnamed package)
 * @param simpleNames   the simple names from the top-level class down ({@code [Outer, Inner]})
 * @param binaryName    the JVM binary name ({@code a.b.Outer$Inner}): what JUnit reports and the manifest keys on
 * @param generic       whether it declares type parameters (instances are then created with {@code <>})
 */
public record TestClassRef(String packageName, List<String> simpleNames, String binaryName, boolean generic) {

    public TestClassRef {
        simpleNames = List.copyOf(simpleNames);
        if (simpleNames.isEmpty()) {
            throw new IllegalArgumentException("a class has at least one simple name");
        }
    }

    /** The source-level name, e.g. {@code a.b.Outer.Inner}. */
    public String canonicalName() {
        String nested = String.join(".", simpleNames);
        return packageName.isEmpty() ? nested : packageName + "." + nested;
    }

    /** The simple name of a generated companion class: {@code Outer_Inner} + suffix. */
    public String companionSimpleName(String suffix) {
        return String.join("_", simpleNames) + suffix;
    }

    /** The binary name of a generated companion class, which is top-level in the same package. */
    public String companionBinaryName(String suffix) {
        String simple = companionSimpleName(suffix);
        return packageName.isEmpty() ? simple : packageName + "." + simple;
    }
}
