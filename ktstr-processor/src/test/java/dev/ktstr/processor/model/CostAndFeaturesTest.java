package dev.ktstr.processor.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.topology.Topology;
import dev.ktstr.topology.TopologyConstraints;
import java.util.List;
import org.junit.jupiter.api.Test;

class CostAndFeaturesTest {

    private static VariantModel vm(int cpus, int durationS, boolean perf, SchedulerModel s) {
        TestModel t = new TestModel(ClassPlanTest.REF, "t", false, s, new Topology(1, 1, cpus, 1), 2048,
                TopologyConstraints.DEFAULT, List.of(), List.of(), durationS, 2, perf, false, "NONE");
        return new VariantModel(t, null, t.topology(), 2048, List.of());
    }

    private static final SchedulerModel EEVDF =
            new SchedulerModel("x.K", "eevdf", "", new Topology(1, 1, 2, 1), PartialConstraints.NONE, List.of());

    @Test
    void costIsCalibratedOnTcgBootTimes() {
        // environment.md: 2 vCPUs boot in about 2 s, 16 vCPUs in about 4.5 s (single-threaded TCG).
        assertEquals(1.96 + 2, CostModel.estimateSecs(vm(2, 2, false, EEVDF)), 1e-9);
        assertEquals(4.48 + 2, CostModel.estimateSecs(vm(16, 2, false, EEVDF)), 1e-9);
        assertEquals(4.48 + 2 + 0.5, CostModel.estimateSecs(vm(16, 2, false, ClassPlanTest.DEMO)), 1e-9);
        assertEquals(4.48 + 10 + 3, CostModel.estimateSecs(vm(16, 10, true, EEVDF)), 1e-9);
    }

    @Test
    void featuresNameEveryDimension() {
        VariantModel v = new VariantModel(ClassPlanTest.test("t", false, TopologyConstraints.DEFAULT), "smt-2llc",
                new Topology(1, 2, 2, 2), 2048, List.of("llc", "steal"));
        assertEquals(List.of("cpus:1-8", "dur:1-2", "flag:demo/llc", "flag:demo/steal", "gauntlet", "llcs:2", "numa:1",
                "sched:demo", "smt:on", "test:x.Outer$Inner#t"), Features.of(v));
    }

    @Test
    void buckets() {
        int[] cpuBounds = {8, 16, 64, 128};
        assertEquals("1-8", Features.bucket(8, cpuBounds));
        assertEquals("9-16", Features.bucket(9, cpuBounds));
        assertEquals("129+", Features.bucket(252, cpuBounds));
        assertEquals("1", Features.bucket(1, new int[] {1, 2, 4, 8}));
        assertEquals("3-4", Features.bucket(4, new int[] {1, 2, 4, 8}));
        assertTrue(Features.bucket(11, new int[] {2, 10}).equals("11+"));
    }
}
