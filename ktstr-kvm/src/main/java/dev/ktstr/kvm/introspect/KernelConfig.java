package dev.ktstr.kvm.introspect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A kernel build's {@code .config} (Kconfig output: {@code CONFIG_NAME=value} lines, {@code # CONFIG_NAME
 * is not set} comments). Introspection needs it for facts that are not in BTF or memory, above all
 * {@code CONFIG_HZ}, the unit of the sched_ext watchdog timeout and of the stall exemption.
 */
public final class KernelConfig {

    private final String source;
    private final Map<String, String> values;

    private KernelConfig(String source, Map<String, String> values) {
        this.source = source;
        this.values = Map.copyOf(values);
    }

    public static KernelConfig read(Path path) throws IOException {
        return parse(path.toString(), Files.readString(path, StandardCharsets.UTF_8));
    }

    public static KernelConfig parse(String source, String text) {
        Map<String, String> m = new HashMap<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (!l.startsWith("CONFIG_")) {
                continue;
            }
            int eq = l.indexOf('=');
            if (eq > 0) {
                String v = l.substring(eq + 1);
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1);
                }
                m.put(l.substring(0, eq), v);
            }
        }
        return new KernelConfig(source, m);
    }

    public String source() {
        return source;
    }

    /** The value of {@code CONFIG_<name>} (name with or without the prefix), if set. */
    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name.startsWith("CONFIG_") ? name : "CONFIG_" + name));
    }

    /** Whether {@code CONFIG_<name>=y}. */
    public boolean enabled(String name) {
        return get(name).filter("y"::equals).isPresent();
    }

    /** {@code CONFIG_HZ}, the timer tick rate (jiffies per second). */
    public OptionalInt hz() {
        Optional<String> v = get("HZ");
        if (v.isEmpty()) {
            return OptionalInt.empty();
        }
        try {
            int hz = Integer.parseInt(v.get());
            return hz > 0 ? OptionalInt.of(hz) : OptionalInt.empty();
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }
}
