package dev.ktstr.runtime.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.runtime.agent.WorkerGroupSpec;
import dev.ktstr.topology.CpuSet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The 20 work types against ktstr_work.h: ids, parameters, defaults and group sizes. */
class WorkTypeTest {

    @Test
    void everyNamedTypeHasItsWireIdAndDefaults() {
        assertEquals(18, WorkType.byName().size());
        Set<Integer> ids = new HashSet<>();
        WorkType.byName().values().forEach(s -> ids.add(s.get().wireId()));
        ids.add(12); // Sequence
        ids.add(20); // Custom
        assertEquals(20, ids.size());
        for (int id = 1; id <= 20; id++) {
            assertTrue(ids.contains(id), "kw_type " + id);
        }
        assertEquals(List.of(50L, 100L), WorkType.Bursty.defaults().params());
        assertEquals(List.of(4L, 256L, 5L, 100L), WorkType.FanOutCompute.defaults().params());
        assertEquals(List.of(4096L, 256L, 64L), WorkType.PageFaultChurn.defaults().params());
        assertEquals(List.of(4L, 256L, 1024L), WorkType.MutexContention.defaults().params());
        assertEquals(List.of(32L, 64L), WorkType.CachePressure.defaults().params());
    }

    @Test
    void groupSizes() {
        assertEquals(2, WorkType.PipeIo.defaults().groupSize());
        assertEquals(2, WorkType.FutexPingPong.defaults().groupSize());
        assertEquals(2, WorkType.CachePipe.defaults().groupSize());
        assertEquals(5, WorkType.FutexFanOut.defaults().groupSize());
        assertEquals(9, new WorkType.FanOutCompute(8, 1, 1, 1).groupSize());
        assertEquals(8, new WorkType.MutexContention(8, 1, 1).groupSize());
        assertEquals(1, WorkType.CPU_SPIN.groupSize());
    }

    @Test
    void namesParseForgivinglyAndUnknownOnesSuggest() {
        assertEquals(Optional.of(WorkType.CPU_SPIN), WorkType.fromName("cpu_spin"));
        assertEquals(Optional.of(WorkType.CPU_SPIN), WorkType.fromName("SpinWait"));
        assertEquals(Optional.of(WorkType.IO_SYNC), WorkType.fromName("io-sync"));
        assertEquals(Optional.of(WorkType.FutexFanOut.defaults()), WorkType.fromName("FUTEXFANOUT"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WorkType.parse("CpuSpn"));
        assertTrue(e.getMessage().startsWith("unknown work type 'CpuSpn' (did you mean 'CpuSpin'?)"), e.getMessage());
    }

    @Test
    void parametersMustBePositiveBecauseZeroMeansDefaultOnTheWire() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new WorkType.PipeIo(0));
        assertTrue(e.getMessage().contains("0 means \"default\""), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WorkType.Bursty.ms(0, 10));
        assertThrows(IllegalArgumentException.class, () -> new WorkType.MutexContention(0, 1, 1));
    }

    @Test
    void sequencesNeedPhasesAndEncodeThem() {
        assertThrows(IllegalArgumentException.class, () -> WorkType.Sequence.of(List.of()));
        assertThrows(IllegalArgumentException.class, () -> WorkType.Phase.spin(Duration.ZERO));
        WorkType.Sequence s = WorkType.Sequence.of(WorkType.Phase.spin(Duration.ofMillis(5)),
                WorkType.Phase.sleep(Duration.ofMillis(1)), WorkType.Phase.io(Duration.ofMillis(2)));
        assertEquals(List.of(new WorkerGroupSpec.Phase(1, 5_000_000), new WorkerGroupSpec.Phase(2, 1_000_000),
                new WorkerGroupSpec.Phase(4, 2_000_000)), s.phases());
    }

    @Test
    void workerSpecsCarryPolicyAffinityMemoryPolicyAndCustomArgv() {
        Work w = Work.of(WorkType.Bursty.ms(500, 250)).workers(2).withPolicy(SchedPolicy.fifo(7))
                .withMemPolicy(MemPolicy.bind(0, 1)).withMpolFlags(MpolFlags.STATIC_NODES).withNice(5);
        WorkerGroupSpec spec = WorkerSpecs.build(9, "cg_0", w, w.type(), 2, List.of(CpuSet.of(1), CpuSet.of(2)), p -> "x");
        assertEquals(new WorkerGroupSpec(9, "cg_0", 5, List.of(500L, 250L), List.of(), List.of(), 2, 1, 7, 0,
                List.of("1", "2"), 2, "0-1", 1 << 15), spec, "nice applies to fair policies only");
        Work custom = Work.of(WorkType.Custom.of(Path.of("/opt/hog"), "-x"));
        assertEquals(List.of("/g/hog", "-x"), WorkerSpecs.build(1, "", custom, custom.type(), 1, List.of(),
                p -> "/g/" + p.getFileName()).customArgv());
    }

    @Test
    void policiesAndNiceAreRangeChecked() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SchedPolicy.fifo(100));
        assertEquals("FIFO priority must be 1..99 (sched_get_priority_min/max), got 100", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SchedPolicy.roundRobin(0));
        assertThrows(IllegalArgumentException.class, () -> Work.defaults().withNice(20));
        assertThrows(IllegalArgumentException.class, () -> MpolFlags.STATIC_NODES.or(MpolFlags.RELATIVE_NODES));
    }
}
