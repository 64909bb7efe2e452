package dev.ktstr.kvm.introspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The BTF reader on the real dev kernel (7.3, sched_ext built in). */
class VmlinuxBtfTest {

    @Test
    void distributionVmlinuxHasBtfAndBuildIdButNoSymbolTable() throws Exception {
        Vmlinux v = DevKernel.vmlinux();
        assertTrue(v.symbols().isEmpty(), "the Debian vmlinux is stripped: symbols must come from kallsyms");
        assertTrue(v.buildId().orElseThrow().matches("[0-9a-f]{40}"), v.buildId().toString());
        assertEquals(0xffffffff81000000L, v.textAddress());
        assertTrue(v.btf().typeCount() > 50_000, v.btf().toString());
    }

    @Test
    void runqueueHasTheMembersTheMonitorReads() throws Exception {
        Btf btf = DevKernel.vmlinux().btf();
        FieldLocation nr = btf.field("rq", "nr_running");
        assertEquals(0, nr.byteOffset());
        assertEquals(4, nr.byteSize());
        long scx = btf.field("rq", "scx").byteOffset();
        long dsq = btf.field("scx_rq", "local_dsq").byteOffset();
        long dsqNr = btf.field("scx_dispatch_q", "nr").byteOffset();
        assertEquals(scx + dsq + dsqNr, btf.field("rq", "scx.local_dsq.nr").byteOffset(), "dotted path = sum of parts");
        assertEquals(btf.field("rq", "curr").byteOffset(), btf.field("rq", "donor").byteOffset(),
                "curr and donor share an anonymous union");
        assertEquals("u64", btf.describe(btf.field("rq", "clock").type()));
        assertEquals(8, btf.field("rq", "clock").byteSize());

        RunqueueLayout rq = RunqueueLayout.resolve(btf);
        assertTrue(rq.scx().isPresent(), "CONFIG_SCHED_CLASS_EXT=y");
        assertTrue(rq.schedstat().isPresent(), "CONFIG_SCHEDSTATS=y");
        assertEquals(btf.field("rq", "scx.local_dsq.nr").byteOffset(), rq.scx().orElseThrow().localDsqDepth().offset());
        assertTrue(rq.spanStart() == 0 && rq.spanEnd() <= btf.struct("rq").size(), rq.toString());
    }

    @Test
    void eventCountersUseThePerSchedPcpuLayout() throws Exception {
        Btf btf = DevKernel.vmlinux().btf();
        ScxEventLayout layout = ScxEventLayout.resolve(btf);
        ScxEventLayout.PerSchedPcpu p = assertInstanceOf(ScxEventLayout.PerSchedPcpu.class, layout);
        assertEquals(btf.field("scx_sched", "pcpu").byteOffset(), p.pcpu().offset());
        assertEquals(btf.field("scx_sched_pcpu", "event_stats").byteOffset(), p.eventStatsOffset());
        List<String> names = p.counters().stream().map(ScxEventLayout.Counter::name).toList();
        assertTrue(names.contains(ScxEventLayout.SELECT_CPU_FALLBACK), names.toString());
        assertTrue(names.contains(ScxEventLayout.DISPATCH_KEEP_LAST), names.toString());
        for (ScxEventLayout.Counter c : p.counters()) {
            assertEquals(8, c.field().size(), c.toString());
            assertTrue(c.field().signed(), "counters are s64: " + c);
        }
        assertEquals(btf.struct("scx_event_stats").size(), p.statsSize());
    }

    @Test
    void bpfObjectsAndPerCpuSectionAreDescribed() throws Exception {
        Btf btf = DevKernel.vmlinux().btf();
        assertEquals(2L, btf.enumerator("BPF_MAP_TYPE_ARRAY"));
        assertEquals(6L, btf.enumerator("BPF_MAP_TYPE_PERCPU_ARRAY"));
        assertEquals(16, btf.field("bpf_map", "name").byteSize());
        assertEquals(btf.field("bpf_array", "value").byteOffset(), btf.field("bpf_array", "pptrs").byteOffset());
        assertTrue(btf.field("scx_sched", "watchdog_timeout").byteSize() == 8, "7.1+ per-instance watchdog");
        FieldLocation bit = btf.field("scx_sched", "warned_unassoc_progs");
        assertTrue(bit.isBitfield());
        assertEquals(1, bit.bitfieldSize());
        BtfType.Datasec percpu = btf.findDatasec(".data..percpu").orElseThrow();
        assertTrue(percpu.vars().stream().anyMatch(v -> btf.type(v.type()).name().equals("runqueues")));
        assertFalse(btf.findStruct("no_such_struct_anywhere").isPresent());
    }

    @Test
    void hzComesFromTheKernelConfig() throws Exception {
        KernelConfig cfg = DevKernel.config();
        assertEquals(250, cfg.hz().orElseThrow());
        assertTrue(cfg.enabled("SCHED_CLASS_EXT"));
        assertFalse(cfg.enabled("IKCONFIG"));
    }
}
