package dev.ktstr.runtime.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.topology.CpuSet;
import dev.ktstr.topology.Topology;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The resolution formulas of ktstr facts §7, on the host. */
class CpusetSpecTest {

    private static final Topology T9 = Topology.of(3, 3, 1); // 9 CPUs, usable 0-7 (8)
    private static final Topology NUMA = new Topology(2, 4, 2, 1); // 8 CPUs, LLCs of 2, nodes of 4

    @Test
    void usableCpusLeaveTheLastOneFreeAboveTwoCpus() {
        assertEquals(CpuSet.parse("0-7"), CpusetSpec.usableCpus(T9));
        assertEquals(CpuSet.parse("0-1"), CpusetSpec.usableCpus(Topology.of(1, 2, 1)));
        assertEquals(CpuSet.parse("0"), CpusetSpec.usableCpus(Topology.of(1, 1, 1)));
        assertEquals(CpuSet.parse("0-1"), CpusetSpec.usableCpus(Topology.of(1, 3, 1)));
    }

    @Test
    void llcAndNumaAreWholeAndClamped() {
        assertEquals(CpuSet.parse("3-5"), CpusetSpec.llc(1).resolve(T9));
        assertEquals(CpuSet.parse("6-8"), CpusetSpec.llc(7).resolve(T9), "clamped to the last LLC");
        assertEquals(CpuSet.parse("4-7"), CpusetSpec.numa(1).resolve(NUMA));
        assertEquals(CpuSet.parse("4-7"), CpusetSpec.numa(5).resolve(NUMA));
        assertEquals(CpuSet.parse("0-8"), CpusetSpec.numa(1).resolve(T9), "one node: clamped to node 0");
    }

    @Test
    void rangeSlicesUsableCpusByFloor() {
        assertEquals(CpuSet.parse("0-3"), CpusetSpec.range(0, 0.5).resolve(T9));
        assertEquals(CpuSet.parse("4-7"), CpusetSpec.range(0.5, 1).resolve(T9));
        assertEquals(CpuSet.parse("2-5"), CpusetSpec.range(0.25, 0.75).resolve(T9));
        assertEquals(CpuSet.parse("0-1"), CpusetSpec.range(0, 0.33).resolve(T9), "⌊8·0.33⌋ = 2");
    }

    @Test
    void disjointChunksGiveTheRemainderToTheLast() {
        assertEquals(List.of("0-1", "2-3", "4-7"), List.of(CpusetSpec.disjoint(0, 3).resolve(T9).render(),
                CpusetSpec.disjoint(1, 3).resolve(T9).render(), CpusetSpec.disjoint(2, 3).resolve(T9).render()));
    }

    @Test
    void overlapWidensInteriorSides() {
        // chunk 2, widen ⌊2·0.5⌋ = 1 on interior sides.
        assertEquals(CpuSet.parse("0-2"), CpusetSpec.overlap(0, 3, 0.5).resolve(T9));
        assertEquals(CpuSet.parse("1-4"), CpusetSpec.overlap(1, 3, 0.5).resolve(T9));
        assertEquals(CpuSet.parse("3-7"), CpusetSpec.overlap(2, 3, 0.5).resolve(T9));
    }

    @Test
    void tooSmallTopologiesDegradeToOneCpuNeverEmpty() {
        Topology one = Topology.of(1, 1, 1);
        for (CpusetSpec s : List.of(CpusetSpec.disjoint(1, 2), CpusetSpec.overlap(2, 3, 0.5), CpusetSpec.range(0.5, 0.6),
                CpusetSpec.llc(3), CpusetSpec.numa(1))) {
            assertEquals(CpuSet.of(0), s.resolve(one), s.describe());
        }
        Topology two = Topology.of(1, 2, 1);
        assertEquals(CpuSet.of(1), CpusetSpec.disjoint(2, 3).resolve(two), "⌊2·2/3⌋ = position 1");
        assertEquals(CpuSet.of(0), CpusetSpec.disjoint(0, 3).resolve(two));
    }

    @Test
    void exactMustFitTheTopology() {
        assertEquals(CpuSet.parse("1,3"), CpusetSpec.exact(1, 3).resolve(T9));
        List<String> p = CpusetSpec.exact(2, 12, 13).problems(Topology.of(1, 4, 1));
        assertEquals(List.of("cpuset 2,12-13 names CPUs 12-13 outside the topology 1n1l4c1t (CPUs 0-3)"), p);
        assertThrows(IllegalArgumentException.class, () -> CpusetSpec.exact(9).resolve(T9));
    }

    @Test
    void nonsenseSpecsAreRejectedWhenBuilt() {
        assertThrows(IllegalArgumentException.class, () -> CpusetSpec.range(0.5, 0.5));
        assertThrows(IllegalArgumentException.class, () -> CpusetSpec.disjoint(2, 2));
        assertThrows(IllegalArgumentException.class, () -> CpusetSpec.overlap(0, 2, 1.5));
        assertThrows(IllegalArgumentException.class, () -> CpusetSpec.llc(-1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CpusetSpec.Exact(CpuSet.empty()));
        assertTrue(e.getMessage().contains("at least one CPU"));
    }

    @Test
    void nodesOfCpusAreTheirNumaNodes() {
        assertEquals(CpuSet.parse("0-1"), CpusetSpec.nodesOf(NUMA, CpuSet.parse("3-4")));
        assertEquals(CpuSet.of(0), CpusetSpec.nodesOf(T9, CpuSet.parse("0-8")));
    }
}
