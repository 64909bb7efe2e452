package dev.ktstr.kvm.introspect;

import static dev.ktstr.kvm.introspect.BtfWriter.m;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The older and the missing event counter layouts, on hand-built BTF (the dev kernel has the 6.18+ one). */
class ScxEventLayoutTest {

    private static final ImageLayout IMAGE = new ImageLayout(0xffffffff81000000L, 0xffffffff84800000L);

    /** BTF of a 6.16-style kernel: scx_sched.event_stats_cpu points at per-CPU scx_event_stats. */
    private static Btf kernel616() throws Exception {
        BtfWriter w = new BtfWriter();
        int s64 = w.typedef("s64", w.intType("long long int", 8, true));
        int stats = w.struct("scx_event_stats", 24, false, m("SCX_EV_SELECT_CPU_FALLBACK", s64, 0),
                m("SCX_EV_DISPATCH_KEEP_LAST", s64, 64), m("SCX_EV_ENQ_SKIP_EXITING", s64, 128));
        w.struct("scx_sched", 64, false, m("ops", w.intType("long unsigned int", 8, false), 0),
                m("event_stats_cpu", w.ptr(stats), 8 * 40));
        return w.parse();
    }

    @Test
    void recognisesThe616LayoutAndFindsEachCpusCounters() throws Exception {
        Btf btf = kernel616();
        ScxEventLayout.EventStatsCpu l = assertInstanceOf(ScxEventLayout.EventStatsCpu.class,
                ScxEventLayout.resolve(btf));
        assertEquals(40, l.eventStatsCpu().offset());
        assertEquals(24, l.statsSize());
        assertEquals("enq_skip_exiting", l.counters().get(2).name());

        SyntheticKernel k = SyntheticKernel.create(btf, IMAGE, 2, 64);
        long sched = k.allocDirect(64);
        long stats = k.allocPerCpu(24);
        k.writeU64(sched + 40, stats);
        k.writeU64(k.perCpu(stats, 1) + 8, 99); // cpu 1's dispatch_keep_last
        KernelView view = k.attach();
        long at = l.statsAddress(view, sched, 1);
        assertEquals(k.perCpu(stats, 1), at);
        assertEquals(99, l.counters().get(1).field().read(view, at));
    }

    @Test
    void kernelsWithoutEitherLayoutAreUnavailableWithTheReason() throws Exception {
        BtfWriter none = new BtfWriter();
        none.intType("int", 4, true);
        ScxEventLayout.Unavailable u = assertInstanceOf(ScxEventLayout.Unavailable.class,
                ScxEventLayout.resolve(none.parse()));
        assertTrue(u.reason().startsWith("no struct scx_sched in BTF"), u.reason());

        BtfWriter w615 = new BtfWriter();
        int u64 = w615.intType("long long unsigned int", 8, false);
        w615.struct("scx_sched", 8, false, m("ops", u64, 0));
        u = assertInstanceOf(ScxEventLayout.Unavailable.class, ScxEventLayout.resolve(w615.parse()));
        assertTrue(u.reason().contains("older than 6.16"), u.reason());

        BtfWriter odd = new BtfWriter();
        int s64 = odd.intType("long long int", 8, true);
        odd.struct("scx_event_stats", 8, false, m("SCX_EV_SELECT_CPU_FALLBACK", s64, 0));
        odd.struct("scx_sched", 8, false, m("somewhere_else", s64, 0));
        ScxEventLayout.Unavailable neither = assertInstanceOf(ScxEventLayout.Unavailable.class,
                ScxEventLayout.resolve(odd.parse()));
        assertEquals("struct scx_sched has neither pcpu (6.18+) nor event_stats_cpu (6.16-6.17)", neither.reason());
        assertThrows(IntrospectException.class, () -> neither.statsAddress(null, 0, 0));
    }
}
