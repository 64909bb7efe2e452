package dev.ktstr.topology;

import java.util.List;
import java.util.Optional;

/** The 24 x86_64 gauntlet presets, in their canonical order. */
public final class Presets {

    private Presets() {}

    public static final List<Preset> X86_64 = List.of(
            p("tiny-1llc", 1, 1, 4, 1, true),
            p("tiny-2llc", 1, 2, 2, 1, true),
            p("odd-3llc", 1, 3, 3, 1, true),
            p("odd-5llc", 1, 5, 3, 1, true),
            p("odd-7llc", 1, 7, 2, 1, true),
            p("smt-2llc", 1, 2, 2, 2, false),
            p("smt-3llc", 1, 3, 2, 2, false),
            p("medium-4llc", 1, 4, 4, 2, false),
            p("medium-8llc", 1, 8, 4, 2, false),
            p("large-4llc", 1, 4, 16, 2, false),
            p("large-8llc", 1, 8, 8, 2, false),
            p("near-max-llc", 1, 15, 8, 2, false),
            p("max-cpu", 1, 14, 9, 2, false),
            p("medium-4llc-nosmt", 1, 4, 8, 1, true),
            p("medium-8llc-nosmt", 1, 8, 8, 1, true),
            p("large-4llc-nosmt", 1, 4, 32, 1, true),
            p("large-8llc-nosmt", 1, 8, 16, 1, true),
            p("near-max-llc-nosmt", 1, 15, 16, 1, true),
            p("max-cpu-nosmt", 1, 14, 18, 1, true),
            p("numa2-4llc", 2, 4, 4, 1, true),
            p("numa2-8llc", 2, 8, 8, 2, false),
            p("numa2-8llc-nosmt", 2, 8, 16, 1, true),
            p("numa4-8llc", 4, 8, 4, 1, true),
            p("numa4-12llc", 4, 12, 8, 2, false));

    /** The aarch64 subset: presets without SMT. */
    public static List<Preset> arm64() {
        return X86_64.stream().filter(Preset::arm64).toList();
    }

    public static Optional<Preset> byName(String name) {
        return X86_64.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** Presets the constraints accept, in canonical order. */
    public static List<Preset> accepted(TopologyConstraints constraints) {
        return X86_64.stream().filter(p -> constraints.accepts(p.topology())).toList();
    }

    private static Preset p(String name, int n, int l, int c, int t, boolean arm64) {
        return new Preset(name, new Topology(n, l, c, t), arm64);
    }
}
