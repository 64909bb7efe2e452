package dev.ktstr.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TopologyTest {

    @Test
    void numbersCpusThreadFirstThenCoreThenLlc() {
        Topology t = new Topology(2, 4, 2, 2); // 16 CPUs, 4 per LLC, 8 per node
        assertEquals(16, t.totalCpus());
        assertEquals(1, t.threadOf(5));
        assertEquals(0, t.coreOf(5));
        assertEquals(1, t.llcOf(5));
        assertEquals(0, t.nodeOf(7));
        assertEquals(1, t.nodeOf(8));
        assertEquals(CpuSet.parse("4-5"), t.siblingsOf(5));
        assertEquals(CpuSet.parse("4-7"), t.cpusOfLlc(1));
        assertEquals(CpuSet.parse("8-15"), t.cpusOfNode(1));
        assertEquals(List.of(2, 3), t.llcsOfNode(1));
    }

    @Test
    void rendersAndParsesBothForms() {
        Topology t = new Topology(2, 4, 2, 2);
        assertEquals("2n4l2c2t", t.render());
        assertEquals(t, Topology.parse("2n4l2c2t"));
        assertEquals(t, Topology.parse("2,4,2,2"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Topology.parse("2x4"));
        assertTrue(e.getMessage().contains("2n4l2c2t"), e.getMessage());
    }

    @Test
    void rejectsBadShapes() {
        assertThrows(IllegalArgumentException.class, () -> new Topology(0, 1, 1, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Topology(2, 3, 1, 1));
        assertTrue(e.getMessage().contains("multiple of numaNodes"), e.getMessage());
    }

    @Test
    void apicIdsPackEachLlcAsAPackage() {
        // C = 3 cores -> 2 bits, T = 2 -> 1 bit: LLC shift 3.
        Topology t = Topology.of(2, 3, 2);
        assertEquals(0, t.apicIdOf(0));
        assertEquals(1, t.apicIdOf(1));
        assertEquals(2, t.apicIdOf(2));
        assertEquals(5, t.apicIdOf(5));
        assertEquals(8, t.apicIdOf(6)); // first CPU of LLC 1
        assertEquals(0, Topology.bitsFor(1));
        assertEquals(2, Topology.bitsFor(3));
        assertEquals(2, Topology.bitsFor(4));
        assertEquals(3, Topology.bitsFor(5));
    }

    @Test
    void presetTableMatchesReference() {
        assertEquals(24, Presets.X86_64.size());
        assertEquals(14, Presets.arm64().size());
        assertEquals(252, Presets.byName("max-cpu").orElseThrow().topology().totalCpus());
        assertEquals(192, Presets.byName("numa4-12llc").orElseThrow().topology().totalCpus());
        assertEquals(16, Presets.byName("numa2-4llc").orElseThrow().topology().totalCpus());
        assertEquals(8192, Presets.byName("large-8llc").orElseThrow().memoryMb(2048));
        assertEquals(2048, Presets.byName("tiny-1llc").orElseThrow().memoryMb(2048));
        long distinct = Presets.X86_64.stream().map(Preset::name).distinct().count();
        assertEquals(24, distinct);
    }

    @Test
    void defaultConstraintsDropNumaAndTheTwoLargest() {
        List<String> names = Presets.accepted(TopologyConstraints.DEFAULT).stream().map(Preset::name).toList();
        assertFalse(names.contains("numa2-4llc"));
        assertFalse(names.contains("near-max-llc"));
        assertFalse(names.contains("max-cpu-nosmt"));
        assertTrue(names.contains("large-8llc"));
        assertEquals(15, names.size());
    }

    @Test
    void constraintProblemsAreSentences() {
        List<String> p = TopologyConstraints.problems(2, 1, 1, 12, 0, 4);
        assertEquals(2, p.size(), p.toString());
        assertTrue(p.get(0).contains("minCpus must be positive"), p.toString());
        assertTrue(p.get(1).contains("minNumaNodes (2) exceeds maxNumaNodes (1)"), p.toString());
    }

    @Test
    void cpuSetRoundTrips() {
        CpuSet s = CpuSet.parse("0-3, 5,8-9");
        assertEquals("0-3,5,8-9", s.render());
        assertEquals(7, s.size());
        assertEquals(CpuSet.parse("3,5"), s.slice(3, 5));
        assertEquals("", CpuSet.parse("").render());
        assertThrows(IllegalArgumentException.class, () -> CpuSet.parse("3-1"));
        assertThrows(IllegalArgumentException.class, () -> CpuSet.parse("a"));
    }

    @Test
    void distancesValidateSlitRules() {
        NumaDistances d = NumaDistances.uniform(3);
        assertEquals(20, d.distance(0, 2));
        assertThrows(IllegalArgumentException.class, () -> NumaDistances.of(new int[][] {{10, 21}, {20, 10}}));
        assertThrows(IllegalArgumentException.class, () -> NumaDistances.of(new int[][] {{10, 10}, {10, 10}}));
    }
}
