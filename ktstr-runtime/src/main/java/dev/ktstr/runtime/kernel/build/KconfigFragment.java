package dev.ktstr.runtime.kernel.build;

import dev.ktstr.runtime.kernel.image.KernelConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Kconfig fragment (lines {@code CONFIG_X=value} and {@code # CONFIG_X is not set}) and the check
 * that a configured {@code .config} honours it: every assignment of a value ({@code y}, {@code m}, a
 * number or string) is required to survive {@code make olddefconfig}; every "is not set" is a
 * preference whose loss is only reported. The built-in fragment is {@code ktstr.kconfig}.
 *
 * @param text the fragment as written
 */
public record KconfigFragment(String text) {

    /** The resource holding ktstr's own fragment. */
    public static final String RESOURCE = "/dev/ktstr/kernel/ktstr.kconfig";

    /** Hints for options that usually fail for a reason outside the tree. */
    private static final Map<String, String> HINTS = Map.of(
            "CONFIG_DEBUG_INFO_BTF", "needs pahole >= 1.16 on the build host (Debian package dwarves)",
            "CONFIG_SCHED_CLASS_EXT", "needs Linux 6.12 or later, BPF_SYSCALL, BPF_JIT and DEBUG_INFO_BTF",
            "CONFIG_EXT_GROUP_SCHED", "needs SCHED_CLASS_EXT and CGROUP_SCHED");

    /** ktstr's required fragment. */
    public static KconfigFragment ktstr() {
        try (InputStream in = KconfigFragment.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the classpath");
            }
            return new KconfigFragment(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** This fragment followed by {@code later}, whose assignments win. */
    public KconfigFragment then(KconfigFragment later) {
        String sep = text.endsWith("\n") ? "" : "\n";
        return new KconfigFragment(text + sep + later.text());
    }

    /** The assignments, later ones winning; "is not set" is {@code n}. */
    public Map<String, String> assignments() {
        return KernelConfig.parse(text).values();
    }

    /**
     * What a configured tree did not keep.
     *
     * @param missing     required assignments that did not survive, one line each with wanted/got and a hint
     * @param preferences "is not set" preferences that ended up enabled
     */
    public record Verdict(List<String> missing, List<String> preferences) {
        public boolean ok() {
            return missing.isEmpty();
        }
    }

    /** Compares the final {@code .config} with this fragment. */
    public Verdict check(KernelConfig finalConfig) {
        List<String> missing = new ArrayList<>();
        List<String> prefs = new ArrayList<>();
        Map<String, String> got = new LinkedHashMap<>(finalConfig.values());
        for (Map.Entry<String, String> want : assignments().entrySet()) {
            String option = want.getKey();
            String have = got.getOrDefault(option, "n");
            if (want.getValue().equals("n")) {
                if (!have.equals("n")) {
                    prefs.add(option + " (wanted off, got " + have + ")");
                }
            } else if (!want.getValue().equals(have)) {
                String hint = HINTS.get(option);
                missing.add(option + " (wanted " + want.getValue() + ", got " + (got.containsKey(option) ? have
                        : "absent") + ")" + (hint == null ? "" : ": " + hint));
            }
        }
        return new Verdict(List.copyOf(missing), List.copyOf(prefs));
    }
}
