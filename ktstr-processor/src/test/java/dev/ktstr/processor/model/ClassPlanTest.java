package dev.ktstr.processor.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.topology.Presets;
import dev.ktstr.topology.Topology;
import dev.ktstr.topology.TopologyConstraints;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassPlanTest {

    static final SchedulerModel DEMO = new SchedulerModel("x.DemoFlag", "demo", "scx_demo", new Topology(1, 1, 2, 1),
            PartialConstraints.NONE, FlagProfilesTest.BUILT_IN);
    static final TestClassRef REF = new TestClassRef("x", List.of("Outer", "Inner"), "x.Outer$Inner", false);

    static TestModel test(String method, boolean hostOnly, TopologyConstraints c) {
        return new TestModel(REF, method, false, DEMO, new Topology(1, 2, 2, 1), 2048, c, List.of(), List.of(), 2, 2,
                false, hostOnly, "NONE");
    }

    @Test
    void expandsBaseThenPresetsTimesProfiles() {
        ClassPlan plan = ClassPlan.of(REF, List.of(test("fair", false, TopologyConstraints.DEFAULT)));
        int presets = Presets.accepted(TopologyConstraints.DEFAULT).size();
        assertEquals(1 + presets * 48, plan.vm().size());
        assertEquals(List.of(), plan.host());
        assertEquals("fair", plan.vm().get(0).methodName());
        assertEquals("ktstr/fair", plan.vm().get(0).variant().id());
        PlannedTest first = plan.vm().get(1);
        assertEquals("gauntlet/fair/tiny-1llc/default", first.variant().id());
        assertEquals("fair__tiny_1llc__default", first.methodName());
        assertEquals("x.Outer_Inner_KtstrIT", first.generatedClass());
        assertEquals(2048, first.variant().memoryMb());
        assertEquals(plan.vm().size(), new HashSet<>(plan.vm().stream().map(PlannedTest::methodName).toList()).size());
    }

    @Test
    void defaultConstraintsKeepNumaAndTheLargestPresetsOut() {
        List<String> names = Presets.accepted(TopologyConstraints.DEFAULT).stream().map(p -> p.name()).toList();
        assertTrue(names.stream().noneMatch(n -> n.startsWith("numa") || n.startsWith("near-max") || n.startsWith("max-cpu")),
                names.toString());
        assertEquals(15, names.size(), names.toString()); // 24 − 5 NUMA − 2 near-max − 2 max-cpu
    }

    @Test
    void hostOnlyTestsHaveOnlyABaseTestInTheHostClass() {
        ClassPlan plan = ClassPlan.of(REF, List.of(test("probe", true, TopologyConstraints.DEFAULT)));
        assertEquals(List.of(), plan.vm());
        assertEquals(1, plan.host().size());
        assertEquals("x.Outer_Inner_KtstrHostTest", plan.host().get(0).generatedClass());
        assertTrue(plan.host().get(0).features().contains("host-only"));
    }

    @Test
    void namesThatObjectOwnsOrThatCollideGetASuffix() {
        ClassPlan plan = ClassPlan.of(REF, List.of(test("toString", true, TopologyConstraints.DEFAULT)));
        assertEquals("toString_2", plan.host().get(0).methodName());
    }

    @Test
    void memoryGrowsWithThePresetsCpus() {
        TopologyConstraints big = new TopologyConstraints(1, 1, 1, 12, 100, 192, false);
        ClassPlan plan = ClassPlan.of(REF, List.of(test("big", false, big)));
        PlannedTest large = plan.vm().stream().filter(p -> "large-4llc".equals(p.variant().preset())).findFirst()
                .orElseThrow();
        assertEquals(128 * 64, large.variant().memoryMb());
    }
}
