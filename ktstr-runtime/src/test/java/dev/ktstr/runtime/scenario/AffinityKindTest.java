package dev.ktstr.runtime.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.topology.CpuSet;
import dev.ktstr.topology.Topology;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AffinityKindTest {

    private static final Topology T = Topology.of(2, 4, 1); // LLC 0 = 0-3, LLC 1 = 4-7

    @Test
    void inheritResolvesToNothing() {
        assertEquals(List.of(), AffinityKind.INHERIT.resolve(T, null, 3, new SplittableRandom(1)));
    }

    @Test
    void randomSubsetGivesEachWorkerHalfThePool() {
        CpuSet pool = CpuSet.parse("2-7");
        List<CpuSet> sets = AffinityKind.RANDOM_SUBSET.resolve(T, pool, 20, new SplittableRandom(7));
        assertEquals(20, sets.size());
        for (CpuSet s : sets) {
            assertEquals(3, s.size());
            assertTrue(pool.containsAll(s), s + " inside " + pool);
        }
        assertNotEquals(1, sets.stream().distinct().count(), "workers get different subsets");
        assertEquals(List.of(CpuSet.of(0)), AffinityKind.RANDOM_SUBSET.resolve(Topology.of(1, 1, 1), null, 1,
                new SplittableRandom(1)), "at least one CPU");
    }

    @Test
    void llcAlignedPicksTheLlcOverlappingTheCpusetMost() {
        assertEquals(List.of(CpuSet.parse("4-6"), CpuSet.parse("4-6")),
                AffinityKind.LLC_ALIGNED.resolve(T, CpuSet.parse("3-6"), 2, new SplittableRandom(1)));
        assertEquals(List.of(CpuSet.parse("0-3")), AffinityKind.LLC_ALIGNED.resolve(T, null, 1, new SplittableRandom(1)));
    }

    @Test
    void crossCgroupSingleCpuAndExact() {
        assertEquals(List.of(T.allCpus()), AffinityKind.CROSS_CGROUP.resolve(T, CpuSet.of(1), 1, new SplittableRandom(1)));
        assertEquals(List.of(CpuSet.of(5), CpuSet.of(5)),
                AffinityKind.SINGLE_CPU.resolve(T, CpuSet.parse("5-7"), 2, new SplittableRandom(1)));
        assertEquals(List.of(CpuSet.parse("3")),
                AffinityKind.exact(1, 3).resolve(T, CpuSet.parse("2-5"), 1, new SplittableRandom(1)));
        assertEquals(List.of("affinity 1 does not intersect the cgroup's cpuset 2-5"),
                AffinityKind.exact(1).problems(T, CpuSet.parse("2-5")));
        assertEquals(List.of("affinity 9 names CPUs 9 outside the topology 1n2l4c1t"),
                AffinityKind.exact(9).problems(T, null));
    }
}
