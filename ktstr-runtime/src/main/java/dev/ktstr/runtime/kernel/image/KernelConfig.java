package dev.ktstr.runtime.kernel.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A kernel {@code .config} as written by Kconfig: {@code CONFIG_X=value} lines and
 * {@code # CONFIG_X is not set} lines (read as {@code n}). Later assignments win, as they do when
 * Kconfig reads a merged file. Also parses config fragments, which have the same syntax.
 */
public final class KernelConfig {

    private static final String NOT_SET_PREFIX = "# CONFIG_";
    private static final String NOT_SET_SUFFIX = " is not set";

    private final Map<String, String> values;

    private KernelConfig(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /** Parses config text. Keys are kept with their {@code CONFIG_} prefix. */
    public static KernelConfig parse(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("CONFIG_")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    values.put(line.substring(0, eq), line.substring(eq + 1));
                }
            } else if (line.startsWith(NOT_SET_PREFIX) && line.endsWith(NOT_SET_SUFFIX)) {
                values.put(line.substring(2, line.length() - NOT_SET_SUFFIX.length()), "n");
            }
        }
        return new KernelConfig(values);
    }

    public static KernelConfig read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** Every assignment, in file order, {@code n} for "is not set". */
    public Map<String, String> values() {
        return values;
    }

    /** The value of {@code option} ({@code CONFIG_} prefix optional), quotes kept. */
    public Optional<String> value(String option) {
        return Optional.ofNullable(values.get(normalise(option)));
    }

    /** Whether {@code option} is built in ({@code =y}). */
    public boolean isBuiltIn(String option) {
        return "y".equals(values.get(normalise(option)));
    }

    /** {@code CONFIG_HZ}, if set to a number. */
    public OptionalInt hz() {
        String v = values.get("CONFIG_HZ");
        if (v == null) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(v));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /** Whether sched_ext is built in ({@code CONFIG_SCHED_CLASS_EXT=y}). */
    public boolean hasSchedExt() {
        return isBuiltIn("CONFIG_SCHED_CLASS_EXT");
    }

    static String normalise(String option) {
        return option.startsWith("CONFIG_") ? option : "CONFIG_" + option;
    }
}
