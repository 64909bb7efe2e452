package dev.ktstr.runtime.scenario;

import dev.ktstr.topology.CpuSet;
import java.util.Objects;

/**
 * A worker group's NUMA memory placement, applied with {@code set_mempolicy(2)} before the loop
 * (ktstr facts §7). Node sets use {@link CpuSet} as a set of node numbers. The nodes must exist and,
 * when the cgroup has a cpuset, be among the NUMA nodes of that cpuset's CPUs.
 */
public sealed interface MemPolicy {

    MemPolicy DEFAULT = new Default();
    MemPolicy LOCAL = new Local();

    static MemPolicy bind(int... nodes) {
        return new Bind(CpuSet.of(nodes));
    }

    static MemPolicy preferred(int node) {
        return new Preferred(node);
    }

    static MemPolicy interleave(int... nodes) {
        return new Interleave(CpuSet.of(nodes));
    }

    static MemPolicy preferredMany(int... nodes) {
        return new PreferredMany(CpuSet.of(nodes));
    }

    static MemPolicy weightedInterleave(int... nodes) {
        return new WeightedInterleave(CpuSet.of(nodes));
    }

    /** The kernel's {@code MPOL_*} mode ({@code KW_MPOL_*}). */
    int mode();

    /** The node set (empty for {@link Default} and {@link Local}). */
    CpuSet nodes();

    /** A short human form. */
    default String describe() {
        String n = getClass().getSimpleName();
        return nodes().isEmpty() ? n : n + "(" + nodes() + ")";
    }

    /** The process default (no call). */
    record Default() implements MemPolicy {
        @Override
        public int mode() {
            return 0;
        }

        @Override
        public CpuSet nodes() {
            return CpuSet.empty();
        }
    }

    /** Allocate only on these nodes. */
    record Bind(CpuSet nodes) implements MemPolicy {
        public Bind {
            nonEmpty("Bind", nodes);
        }

        @Override
        public int mode() {
            return 2;
        }
    }

    /** Prefer one node. */
    record Preferred(int node) implements MemPolicy {
        public Preferred {
            if (node < 0) {
                throw new IllegalArgumentException("preferred node must be >= 0, got " + node);
            }
        }

        @Override
        public int mode() {
            return 1;
        }

        @Override
        public CpuSet nodes() {
            return CpuSet.of(node);
        }
    }

    /** Round-robin pages over these nodes. */
    record Interleave(CpuSet nodes) implements MemPolicy {
        public Interleave {
            nonEmpty("Interleave", nodes);
        }

        @Override
        public int mode() {
            return 3;
        }
    }

    /** Allocate on the node of the CPU that faults. */
    record Local() implements MemPolicy {
        @Override
        public int mode() {
            return 4;
        }

        @Override
        public CpuSet nodes() {
            return CpuSet.empty();
        }
    }

    /** Prefer any of these nodes. */
    record PreferredMany(CpuSet nodes) implements MemPolicy {
        public PreferredMany {
            nonEmpty("PreferredMany", nodes);
        }

        @Override
        public int mode() {
            return 5;
        }
    }

    /** Interleave weighted by the kernel's per-node weights. */
    record WeightedInterleave(CpuSet nodes) implements MemPolicy {
        public WeightedInterleave {
            nonEmpty("WeightedInterleave", nodes);
        }

        @Override
        public int mode() {
            return 6;
        }
    }

    private static void nonEmpty(String what, CpuSet nodes) {
        Objects.requireNonNull(nodes, "nodes");
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException(what + " memory policy needs at least one node");
        }
    }
}
