package dev.ktstr.runtime.scenario.canned;

import dev.ktstr.runtime.scenario.CpusetSpec;
import dev.ktstr.runtime.scenario.Requirement;
import dev.ktstr.topology.CpuSet;
import dev.ktstr.topology.Topology;
import java.util.List;

/**
 * How a data-driven {@link Steady} scenario splits CPUs among its {@code n} cgroups (ktstr facts §7
 * {@code CpusetPartition}). All fractions are of the usable CPUs ({@link CpusetSpec#usableCpus}).
 */
public sealed interface CpusetPartition {

    CpusetPartition NONE = new None();
    CpusetPartition LLC_ALIGNED = new LlcAligned();
    CpusetPartition SPLIT_HALF = new SplitHalf();
    CpusetPartition SPLIT_MISALIGNED = new SplitMisaligned();

    static CpusetPartition overlap(double frac) {
        return new Overlap(frac);
    }

    static CpusetPartition uneven(double frac) {
        return new Uneven(frac);
    }

    static CpusetPartition holdback(double frac) {
        return new Holdback(frac);
    }

    /** The cpuset of cgroup {@code i} of {@code n} on {@code topology}, or {@code null} for none. */
    CpusetSpec spec(int i, int n, Topology topology);

    /** Whether {@link #spec} depends on the topology (then it cannot be used for an idle cgroup's static op). */
    default boolean topologyDependent() {
        return false;
    }

    /** What the topology must offer for {@code n} cgroups. */
    default List<Requirement> requirements(int n) {
        return List.of();
    }

    /** The short form {@code ktstr list} shows, e.g. {@code overlap(0.5)}. */
    String describe();

    /** No cpusets. */
    record None() implements CpusetPartition {
        @Override
        public CpusetSpec spec(int i, int n, Topology topology) {
            return null;
        }

        @Override
        public String describe() {
            return "none";
        }
    }

    /** Cgroup {@code i} gets LLC {@code i}; needs at least {@code n} LLCs. */
    record LlcAligned() implements CpusetPartition {
        @Override
        public CpusetSpec spec(int i, int n, Topology topology) {
            return CpusetSpec.llc(i);
        }

        @Override
        public List<Requirement> requirements(int n) {
            return List.of(Requirement.minLlcs(n));
        }

        @Override
        public String describe() {
            return "llc-aligned";
        }
    }

    /** Equal disjoint chunks ({@link CpusetSpec.Disjoint}). */
    record SplitHalf() implements CpusetPartition {
        @Override
        public CpusetSpec spec(int i, int n, Topology topology) {
            return CpusetSpec.disjoint(i, n);
        }

        @Override
        public String describe() {
            return "split";
        }
    }

    /**
     * Disjoint chunks whose boundaries are moved off LLC boundaries: a boundary that would fall on an
     * LLC boundary moves half an LLC up, so LLCs are shared between neighbouring cgroups and a
     * cgroup's CPUs span two LLCs.
     */
    record SplitMisaligned() implements CpusetPartition {
        @Override
        public CpusetSpec spec(int i, int n, Topology topology) {
            CpuSet usable = CpusetSpec.usableCpus(topology);
            int len = usable.size();
            int from = boundary(i, n, len, topology.cpusPerLlc());
            int to = boundary(i + 1, n, len, topology.cpusPerLlc());
            if (to <= from) {
                int p = Math.min(from, len - 1);
                return CpusetSpec.exact(usable.slice(p, p + 1));
            }
            return CpusetSpec.exact(usable.slice(from, to));
        }

        private static int boundary(int k, int n, int len, int cpusPerLlc) {
            if (k == 0) {
                return 0;
            }
            if (k == n) {
                return len;
            }
            int b = k * len / n;
            if (b % cpusPerLlc == 0 && cpusPerLlc > 1) {
                b += cpusPerLlc / 2;
            }
            return Math.min(b, len - 1);
        }

        @Override
        public boolean topologyDependent() {
            return true;
        }

        @Override
        public String describe() {
            return "split-misaligned";
        }
    }

    /** Chunks widened by {@code frac} of a chunk on interior sides ({@link CpusetSpec.Overlap}). */
    record Overlap(double frac) implements CpusetPartition {
        @Override
        public CpusetSpec spec(int i, int n, Topology topology) {
            return CpusetSpec.overlap(i, n, frac);
        }

        @Override
        public String describe() {
            return "overlap(" + frac + ")";
        }
    }

    /** The first cgroup gets {@code frac} of the CPUs, the others share the rest equally. */
    record Uneven(double frac) implements CpusetPartition {
        public Uneven {
            if (!(frac > 0 && frac < 1)) {
                throw new IllegalArgumentException("uneven fraction must be in (0, 1), got " + frac);
            }
        }

        @Override
        public CpusetSpec spec(int i, int n, Topology topology) {
            if (n == 1) {
                return CpusetSpec.range(0, 1);
            }
            if (i == 0) {
                return CpusetSpec.range(0, frac);
            }
            double share = (1 - frac) / (n - 1);
            return CpusetSpec.range(frac + (i - 1) * share, Math.min(1, frac + i * share));
        }

        @Override
        public String describe() {
            return "uneven(" + frac + ")";
        }
    }

    /** {@code frac} of the CPUs stay unused; the rest is split equally. */
    record Holdback(double frac) implements CpusetPartition {
        public Holdback {
            if (!(frac > 0 && frac < 1)) {
                throw new IllegalArgumentException("holdback fraction must be in (0, 1), got " + frac);
            }
        }

        @Override
        public CpusetSpec spec(int i, int n, Topology topology) {
            double keep = 1 - frac;
            return CpusetSpec.range(i * keep / n, (i + 1) * keep / n);
        }

        @Override
        public String describe() {
            return "holdback(" + frac + ")";
        }
    }
}
