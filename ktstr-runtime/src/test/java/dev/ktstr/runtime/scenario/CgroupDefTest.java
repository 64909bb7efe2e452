package dev.ktstr.runtime.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class CgroupDefTest {

    @Test
    void shorthandsEditTheImplicitDefaultGroup() {
        CgroupDef d = CgroupDef.named("cg_0").workers(4).workType(WorkType.YIELD_HEAVY);
        assertEquals(List.of(Work.of(WorkType.YIELD_HEAVY).workers(4)), d.works());
    }

    @Test
    void workAddsConcurrentGroupsAndShorthandsEditTheLast() {
        CgroupDef d = CgroupDef.named("cg_0").work(Work.of(new WorkType.PipeIo(1024)).workers(2)).work(Work.defaults())
                .workers(3);
        assertEquals(2, d.effectiveWorks().size());
        assertEquals(WorkerCount.fixed(2), d.works().get(0).count());
        assertEquals(WorkerCount.fixed(3), d.works().get(1).count());
        assertEquals(List.of(Work.defaults()), CgroupDef.named("x").effectiveWorks());
    }

    @Test
    void namesAreCgroupPaths() {
        CgroupDef.named("cg_1/sub_a/deep");
        for (String bad : List.of("", "/abs", "a//b", "a/../b", "sp ace", "a/", ".")) {
            assertThrows(IllegalArgumentException.class, () -> CgroupDef.named(bad), bad);
        }
    }

    @Test
    void workerCountsResolveAgainstTheEnvironment() {
        ScenarioEnv env = ScenarioEnv.of(dev.ktstr.topology.Topology.of(2, 3, 1), java.time.Duration.ofSeconds(1), 3);
        assertEquals(3, WorkerCount.DEFAULT.resolve(env, null, 1));
        assertEquals(6, WorkerCount.perCpu(1).resolve(env, null, 1));
        assertEquals(2, WorkerCount.perCpusetCpu(0.5).resolve(env, dev.ktstr.topology.CpuSet.parse("0-3"), 1));
        assertEquals(5, WorkerCount.wholeGroups(WorkerCount.fixed(7)).resolve(env, null, 5));
        assertEquals(5, WorkerCount.wholeGroups(WorkerCount.DEFAULT).resolve(env, null, 5), "at least one group");
        assertThrows(IllegalArgumentException.class, () -> WorkerCount.fixed(0));
    }
}
