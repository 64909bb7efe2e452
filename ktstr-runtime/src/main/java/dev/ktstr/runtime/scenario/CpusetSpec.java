package dev.ktstr.runtime.scenario;

import dev.ktstr.topology.CpuSet;
import dev.ktstr.topology.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A cgroup's cpuset relative to the topology (ktstr facts §7), resolved on the host against the VM's
 * exact {@link Topology}. The fractional forms ({@link Range}, {@link Disjoint}, {@link Overlap})
 * operate on {@link #usableCpus(Topology) usable CPUs}: all CPUs minus the last one when there are
 * more than two, so one CPU stays free for the agent and the kernel's housekeeping.
 *
 * <p>A resolved cpuset is never empty: where a formula yields no CPU (more partitions than usable
 * CPUs, a range narrower than one CPU) the spec degrades to the single usable CPU at the slice's
 * start position, so small topologies still run every scenario (overlapping where they must).
 */
public sealed interface CpusetSpec {

    /** The CPUs this spec means on {@code topology}; never empty. */
    CpuSet resolve(Topology topology);

    /** Problems that make this spec unusable on {@code topology} (empty when fine). */
    default List<String> problems(Topology topology) {
        return List.of();
    }

    /** A short human form, e.g. {@code disjoint(0/2)}. */
    String describe();

    /** All CPUs minus the last when the topology has more than two (facts §7 {@code usable_cpus}). */
    static CpuSet usableCpus(Topology topology) {
        int n = topology.totalCpus();
        return n > 2 ? CpuSet.range(0, n - 1) : CpuSet.range(0, n);
    }

    /** The NUMA nodes that {@code cpus} belong to (what {@code cpuset.mems} gets). */
    static CpuSet nodesOf(Topology topology, CpuSet cpus) {
        List<Integer> nodes = new ArrayList<>();
        cpus.stream().filter(c -> c < topology.totalCpus()).map(topology::nodeOf).distinct().forEach(nodes::add);
        return CpuSet.of(nodes);
    }

    static CpusetSpec llc(int index) {
        return new Llc(index);
    }

    static CpusetSpec numa(int node) {
        return new Numa(node);
    }

    static CpusetSpec range(double startFrac, double endFrac) {
        return new Range(startFrac, endFrac);
    }

    static CpusetSpec disjoint(int index, int of) {
        return new Disjoint(index, of);
    }

    static CpusetSpec overlap(int index, int of, double frac) {
        return new Overlap(index, of, frac);
    }

    static CpusetSpec exact(int... cpus) {
        return new Exact(CpuSet.of(cpus));
    }

    static CpusetSpec exact(CpuSet cpus) {
        return new Exact(cpus);
    }

    /** All CPUs of LLC {@code index}, clamped to the last LLC. */
    record Llc(int index) implements CpusetSpec {
        public Llc {
            if (index < 0) {
                throw new IllegalArgumentException("LLC index must be >= 0, got " + index);
            }
        }

        @Override
        public CpuSet resolve(Topology topology) {
            return topology.cpusOfLlc(Math.min(index, topology.llcs() - 1));
        }

        @Override
        public String describe() {
            return "llc(" + index + ")";
        }
    }

    /** All CPUs of NUMA node {@code node}, clamped to the last node. */
    record Numa(int node) implements CpusetSpec {
        public Numa {
            if (node < 0) {
                throw new IllegalArgumentException("NUMA node must be >= 0, got " + node);
            }
        }

        @Override
        public CpuSet resolve(Topology topology) {
            return topology.cpusOfNode(Math.min(node, topology.numaNodes() - 1));
        }

        @Override
        public String describe() {
            return "numa(" + node + ")";
        }
    }

    /** Usable CPUs {@code [⌊len·start⌋, ⌊len·end⌋)}. */
    record Range(double startFrac, double endFrac) implements CpusetSpec {
        public Range {
            if (!(startFrac >= 0 && startFrac < endFrac && endFrac <= 1)) {
                throw new IllegalArgumentException(
                        "range needs 0 <= start < end <= 1, got [" + startFrac + ", " + endFrac + ")");
            }
        }

        @Override
        public CpuSet resolve(Topology topology) {
            CpuSet usable = usableCpus(topology);
            int len = usable.size();
            int from = (int) Math.floor(len * startFrac);
            int to = (int) Math.floor(len * endFrac);
            return slice(usable, from, to);
        }

        @Override
        public String describe() {
            return "range(" + startFrac + ".." + endFrac + ")";
        }
    }

    /** Chunk {@code index} of {@code of} equal disjoint chunks of the usable CPUs; the last takes the remainder. */
    record Disjoint(int index, int of) implements CpusetSpec {
        public Disjoint {
            if (of < 1 || index < 0 || index >= of) {
                throw new IllegalArgumentException("disjoint needs 0 <= index < of, got index " + index + " of " + of);
            }
        }

        @Override
        public CpuSet resolve(Topology topology) {
            CpuSet usable = usableCpus(topology);
            int len = usable.size();
            int chunk = len / of;
            int from = index * chunk;
            int to = index == of - 1 ? len : from + chunk;
            return chunk == 0 ? degenerate(usable, (int) ((long) len * index / of)) : slice(usable, from, to);
        }

        @Override
        public String describe() {
            return "disjoint(" + index + "/" + of + ")";
        }
    }

    /** Like {@link Disjoint}, each chunk widened by {@code ⌊chunk·frac⌋} CPUs on its interior sides. */
    record Overlap(int index, int of, double frac) implements CpusetSpec {
        public Overlap {
            if (of < 1 || index < 0 || index >= of) {
                throw new IllegalArgumentException("overlap needs 0 <= index < of, got index " + index + " of " + of);
            }
            if (!(frac >= 0 && frac <= 1)) {
                throw new IllegalArgumentException("overlap fraction must be in [0, 1], got " + frac);
            }
        }

        @Override
        public CpuSet resolve(Topology topology) {
            CpuSet usable = usableCpus(topology);
            int len = usable.size();
            int chunk = len / of;
            if (chunk == 0) {
                return degenerate(usable, (int) ((long) len * index / of));
            }
            int from = index * chunk;
            int to = index == of - 1 ? len : from + chunk;
            int widen = (int) Math.floor(chunk * frac);
            if (index > 0) {
                from = Math.max(0, from - widen);
            }
            if (index < of - 1) {
                to = Math.min(len, to + widen);
            }
            return slice(usable, from, to);
        }

        @Override
        public String describe() {
            return "overlap(" + index + "/" + of + ", " + frac + ")";
        }
    }

    /** Exactly these CPUs; every one must exist in the topology. */
    record Exact(CpuSet cpus) implements CpusetSpec {
        public Exact {
            Objects.requireNonNull(cpus, "cpus");
            if (cpus.isEmpty()) {
                throw new IllegalArgumentException("an exact cpuset needs at least one CPU");
            }
        }

        @Override
        public CpuSet resolve(Topology topology) {
            CpuSet outside = cpus.minus(topology.allCpus());
            if (!outside.isEmpty()) {
                throw new IllegalArgumentException(outsideMessage(topology, outside));
            }
            return cpus;
        }

        @Override
        public List<String> problems(Topology topology) {
            CpuSet outside = cpus.minus(topology.allCpus());
            return outside.isEmpty() ? List.of() : List.of(outsideMessage(topology, outside));
        }

        private String outsideMessage(Topology topology, CpuSet outside) {
            return "cpuset " + cpus + " names CPUs " + outside + " outside the topology " + topology + " (CPUs "
                    + topology.allCpus() + ")";
        }

        @Override
        public String describe() {
            return "exact(" + cpus + ")";
        }
    }

    private static CpuSet slice(CpuSet usable, int from, int to) {
        int len = usable.size();
        if (to <= from) {
            return degenerate(usable, from);
        }
        return usable.slice(Math.min(from, len), Math.min(to, len));
    }

    private static CpuSet degenerate(CpuSet usable, int position) {
        int p = Math.max(0, Math.min(position, usable.size() - 1));
        return usable.slice(p, p + 1);
    }
}
