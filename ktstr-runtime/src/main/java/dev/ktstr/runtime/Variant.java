package dev.ktstr.runtime;

import java.util.List;
import java.util.Objects;

/**
 * One generated test: a {@code @KtstrTest} method on one topology with one flag profile.
 *
 * @param testClass  the class declaring the {@code @KtstrTest} method
 * @param method     the method's name
 * @param preset     the gauntlet preset name, or {@code null} for the base test on the declared topology
 * @param flags      the active flags' kebab-case names, in declaration order (empty = default profile)
 */
public record Variant(Class<?> testClass, String method, String preset, List<String> flags) {

    public Variant {
        Objects.requireNonNull(testClass, "testClass");
        Objects.requireNonNull(method, "method");
        flags = List.copyOf(flags);
    }

    /** The base test ({@code ktstr/NAME}) with the given (required) flags. */
    public static Variant base(Class<?> testClass, String method, String... flags) {
        return new Variant(testClass, method, null, List.of(flags));
    }

    /** A gauntlet variant ({@code gauntlet/NAME/PRESET/PROFILE}). */
    public static Variant gauntlet(Class<?> testClass, String method, String preset, String... flags) {
        return new Variant(testClass, method, Objects.requireNonNull(preset, "preset"), List.of(flags));
    }

    public boolean isGauntlet() {
        return preset != null;
    }

    /** Flags joined by {@code +}, or {@code default} when none. */
    public String profile() {
        return flags.isEmpty() ? "default" : String.join("+", flags);
    }

    /** The stable display id: {@code ktstr/NAME} or {@code gauntlet/NAME/PRESET/PROFILE}. */
    public String id() {
        return isGauntlet() ? "gauntlet/" + method + "/" + preset + "/" + profile() : "ktstr/" + method;
    }

    @Override
    public String toString() {
        return id();
    }
}
