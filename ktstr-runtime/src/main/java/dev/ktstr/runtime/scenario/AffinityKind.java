package dev.ktstr.runtime.scenario;

import dev.ktstr.topology.CpuSet;
import dev.ktstr.topology.Topology;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Per-worker CPU affinity, resolved on the host into one CPU set per worker (ktstr facts §7):
 * <ul>
 *   <li>{@link Inherit}: no call, the worker inherits the cgroup's cpuset;
 *   <li>{@link RandomSubset}: each worker a random {@code max(1, |pool|/2)} CPUs of the pool (the
 *       cgroup's cpuset, or all CPUs);
 *   <li>{@link LlcAligned}: the CPUs of the LLC that overlaps the pool most (lowest LLC on a tie),
 *       intersected with the pool;
 *   <li>{@link CrossCgroup}: all CPUs of the topology, deliberately wider than the cpuset;
 *   <li>{@link SingleCpu}: the first CPU of the pool, for every worker;
 *   <li>{@link FirstCpus}: the first {@code n} CPUs of the pool (all of it when smaller), for every
 *       worker — several workers sharing a narrow mask (an extension of {@code SingleCpu});
 *   <li>{@link Exact}: exactly these CPUs intersected with the pool (must not be empty).
 * </ul>
 */
public sealed interface AffinityKind {

    AffinityKind INHERIT = new Inherit();
    AffinityKind RANDOM_SUBSET = new RandomSubset();
    AffinityKind LLC_ALIGNED = new LlcAligned();
    AffinityKind CROSS_CGROUP = new CrossCgroup();
    AffinityKind SINGLE_CPU = new SingleCpu();

    static AffinityKind firstCpus(int n) {
        return new FirstCpus(n);
    }

    static AffinityKind exact(int... cpus) {
        return new Exact(CpuSet.of(cpus));
    }

    static AffinityKind exact(CpuSet cpus) {
        return new Exact(cpus);
    }

    /**
     * One CPU set per worker, or an empty list for {@link Inherit}.
     *
     * @param topology  the guest topology
     * @param cpuset    the cgroup's cpuset, or {@code null} when it has none
     * @param workers   how many workers
     * @param random    the source for {@link RandomSubset}
     */
    List<CpuSet> resolve(Topology topology, CpuSet cpuset, int workers, RandomGenerator random);

    /** Problems on this topology/cpuset (empty when fine). */
    default List<String> problems(Topology topology, CpuSet cpuset) {
        return List.of();
    }

    /** A short human form. */
    default String describe() {
        return getClass().getSimpleName();
    }

    private static CpuSet pool(Topology topology, CpuSet cpuset) {
        return cpuset == null ? topology.allCpus() : cpuset;
    }

    /** Inherit the cgroup's cpuset. */
    record Inherit() implements AffinityKind {
        @Override
        public List<CpuSet> resolve(Topology topology, CpuSet cpuset, int workers, RandomGenerator random) {
            return List.of();
        }
    }

    /** A random half of the pool per worker. */
    record RandomSubset() implements AffinityKind {
        @Override
        public List<CpuSet> resolve(Topology topology, CpuSet cpuset, int workers, RandomGenerator random) {
            List<Integer> pool = pool(topology, cpuset).toList();
            int count = Math.max(1, pool.size() / 2);
            List<CpuSet> out = new ArrayList<>(workers);
            for (int w = 0; w < workers; w++) {
                List<Integer> shuffled = new ArrayList<>(pool);
                for (int i = shuffled.size() - 1; i > 0; i--) {
                    Collections.swap(shuffled, i, random.nextInt(i + 1));
                }
                out.add(CpuSet.of(shuffled.subList(0, count)));
            }
            return out;
        }
    }

    /** The LLC with the largest overlap with the pool. */
    record LlcAligned() implements AffinityKind {
        @Override
        public List<CpuSet> resolve(Topology topology, CpuSet cpuset, int workers, RandomGenerator random) {
            CpuSet pool = pool(topology, cpuset);
            CpuSet best = CpuSet.empty();
            for (int l = 0; l < topology.llcs(); l++) {
                CpuSet overlap = topology.cpusOfLlc(l).intersect(pool);
                if (overlap.size() > best.size()) {
                    best = overlap;
                }
            }
            return Collections.nCopies(workers, best.isEmpty() ? pool : best);
        }
    }

    /** Every CPU of the topology. */
    record CrossCgroup() implements AffinityKind {
        @Override
        public List<CpuSet> resolve(Topology topology, CpuSet cpuset, int workers, RandomGenerator random) {
            return Collections.nCopies(workers, topology.allCpus());
        }
    }

    /** The first CPU of the pool. */
    record SingleCpu() implements AffinityKind {
        @Override
        public List<CpuSet> resolve(Topology topology, CpuSet cpuset, int workers, RandomGenerator random) {
            return Collections.nCopies(workers, CpuSet.of(pool(topology, cpuset).first()));
        }
    }

    /** The first {@code n} CPUs of the pool. */
    record FirstCpus(int n) implements AffinityKind {
        public FirstCpus {
            if (n < 1) {
                throw new IllegalArgumentException("FirstCpus needs at least 1 CPU, got " + n);
            }
        }

        @Override
        public List<CpuSet> resolve(Topology topology, CpuSet cpuset, int workers, RandomGenerator random) {
            CpuSet pool = pool(topology, cpuset);
            return Collections.nCopies(workers, pool.slice(0, Math.min(n, pool.size())));
        }

        @Override
        public String describe() {
            return "FirstCpus(" + n + ")";
        }
    }

    /** Exactly these CPUs, within the pool. */
    record Exact(CpuSet cpus) implements AffinityKind {
        public Exact {
            Objects.requireNonNull(cpus, "cpus");
            if (cpus.isEmpty()) {
                throw new IllegalArgumentException("an exact affinity needs at least one CPU");
            }
        }

        @Override
        public List<CpuSet> resolve(Topology topology, CpuSet cpuset, int workers, RandomGenerator random) {
            List<String> p = problems(topology, cpuset);
            if (!p.isEmpty()) {
                throw new IllegalArgumentException(p.get(0));
            }
            return Collections.nCopies(workers, cpus.intersect(pool(topology, cpuset)));
        }

        @Override
        public List<String> problems(Topology topology, CpuSet cpuset) {
            CpuSet outside = cpus.minus(topology.allCpus());
            if (!outside.isEmpty()) {
                return List.of("affinity " + cpus + " names CPUs " + outside + " outside the topology " + topology);
            }
            if (cpus.intersect(pool(topology, cpuset)).isEmpty()) {
                return List.of("affinity " + cpus + " does not intersect the cgroup's cpuset " + cpuset);
            }
            return List.of();
        }

        @Override
        public String describe() {
            return "Exact(" + cpus + ")";
        }
    }
}
