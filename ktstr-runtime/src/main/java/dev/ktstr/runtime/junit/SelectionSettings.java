package dev.ktstr.runtime.junit;

import java.util.Locale;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * What the user asked to run: {@code ktstr.budget.secs} (positive seconds) and {@code ktstr.shard}
 * ({@code i/n}, 1-based). Each is read from the system property, else from the environment variable
 * {@code KTSTR_BUDGET_SECS} / {@code KTSTR_SHARD}; an empty value is unset, because the parent pom
 * forwards unset Maven properties as empty strings. A malformed value is an error, not "unset": a
 * typo must not silently run everything.
 *
 * @param budgetSecs the budget, if set
 * @param shard      the shard, or {@code null}
 */
public record SelectionSettings(OptionalDouble budgetSecs, Shard shard) {

    public static final String BUDGET_PROPERTY = "ktstr.budget.secs";
    public static final String SHARD_PROPERTY = "ktstr.shard";

    /**
     * One shard of {@code count}.
     *
     * @param index 1-based, at most {@code count}
     * @param count how many shards
     */
    public record Shard(int index, int count) {

        public Shard {
            if (count < 1 || index < 1 || index > count) {
                throw new IllegalArgumentException(
                        SHARD_PROPERTY + " must be i/n with 1 <= i <= n, got " + index + "/" + count);
            }
        }

        public static Shard parse(String text) {
            String[] parts = text.trim().split("/");
            try {
                if (parts.length == 2) {
                    return new Shard(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(SHARD_PROPERTY + " must be i/n such as 2/3, got '" + text + "'", e);
            }
            throw new IllegalArgumentException(SHARD_PROPERTY + " must be i/n such as 2/3, got '" + text + "'");
        }

        @Override
        public String toString() {
            return index + "/" + count;
        }
    }

    public static final SelectionSettings NONE = new SelectionSettings(OptionalDouble.empty(), null);

    public boolean active() {
        return budgetSecs.isPresent() || shard != null;
    }

    /** The settings of this JVM. */
    public static SelectionSettings current() {
        return from(System::getProperty, System::getenv);
    }

    /** The settings from a property lookup, falling back to an environment lookup. */
    public static SelectionSettings from(Function<String, String> properties, Function<String, String> environment) {
        String budget = value(properties, environment, BUDGET_PROPERTY);
        String shard = value(properties, environment, SHARD_PROPERTY);
        return new SelectionSettings(budget == null ? OptionalDouble.empty() : OptionalDouble.of(parseBudget(budget)),
                shard == null ? null : Shard.parse(shard));
    }

    private static String value(Function<String, String> properties, Function<String, String> environment, String name) {
        String v = properties.apply(name);
        if (v == null || v.isBlank()) {
            v = environment.apply(name.toUpperCase(Locale.ROOT).replace('.', '_'));
        }
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static double parseBudget(String text) {
        double v;
        try {
            v = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(BUDGET_PROPERTY + " must be positive seconds, got '" + text + "'", e);
        }
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(BUDGET_PROPERTY + " must be positive seconds, got '" + text + "'");
        }
        return v;
    }
}
