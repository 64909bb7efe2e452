package dev.ktstr.topology;

import java.util.ArrayList;
import java.util.List;

/**
 * Bounds a test (or its scheduler) places on the machine shapes it runs on. The defaults keep NUMA
 * presets and the two largest presets out of a gauntlet unless a test asks for them.
 */
public record TopologyConstraints(
        int minNumaNodes, int maxNumaNodes,
        int minLlcs, int maxLlcs,
        int minCpus, int maxCpus,
        boolean requiresSmt) {

    public static final int DEFAULT_MIN_NUMA_NODES = 1;
    public static final int DEFAULT_MAX_NUMA_NODES = 1;
    public static final int DEFAULT_MIN_LLCS = 1;
    public static final int DEFAULT_MAX_LLCS = 12;
    public static final int DEFAULT_MIN_CPUS = 1;
    public static final int DEFAULT_MAX_CPUS = 192;

    public static final TopologyConstraints DEFAULT = new TopologyConstraints(
            DEFAULT_MIN_NUMA_NODES, DEFAULT_MAX_NUMA_NODES, DEFAULT_MIN_LLCS, DEFAULT_MAX_LLCS,
            DEFAULT_MIN_CPUS, DEFAULT_MAX_CPUS, false);

    public TopologyConstraints {
        List<String> problems = problems(minNumaNodes, maxNumaNodes, minLlcs, maxLlcs, minCpus, maxCpus);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /** Everything wrong with a set of bounds, as sentences; empty when valid. */
    public static List<String> problems(int minNuma, int maxNuma, int minLlcs, int maxLlcs, int minCpus, int maxCpus) {
        List<String> out = new ArrayList<>();
        positive(out, "minNumaNodes", minNuma);
        positive(out, "maxNumaNodes", maxNuma);
        positive(out, "minLlcs", minLlcs);
        positive(out, "maxLlcs", maxLlcs);
        positive(out, "minCpus", minCpus);
        positive(out, "maxCpus", maxCpus);
        ordered(out, "NumaNodes", minNuma, maxNuma);
        ordered(out, "Llcs", minLlcs, maxLlcs);
        ordered(out, "Cpus", minCpus, maxCpus);
        return out;
    }

    private static void positive(List<String> out, String name, int v) {
        if (v <= 0) {
            out.add(name + " must be positive, got " + v);
        }
    }

    private static void ordered(List<String> out, String what, int min, int max) {
        if (min > max) {
            out.add("min" + what + " (" + min + ") exceeds max" + what + " (" + max + ")");
        }
    }

    public boolean accepts(Topology t) {
        return rejection(t) == null;
    }

    /** Why {@code t} is outside these bounds, or {@code null} when it is inside. */
    public String rejection(Topology t) {
        if (t.numaNodes() < minNumaNodes || t.numaNodes() > maxNumaNodes) {
            return t.numaNodes() + " NUMA nodes outside [" + minNumaNodes + ", " + maxNumaNodes + "]";
        }
        if (t.llcs() < minLlcs || t.llcs() > maxLlcs) {
            return t.llcs() + " LLCs outside [" + minLlcs + ", " + maxLlcs + "]";
        }
        if (t.totalCpus() < minCpus || t.totalCpus() > maxCpus) {
            return t.totalCpus() + " CPUs outside [" + minCpus + ", " + maxCpus + "]";
        }
        if (requiresSmt && !t.hasSmt()) {
            return "SMT required but " + t.render() + " has one thread per core";
        }
        return null;
    }
}
