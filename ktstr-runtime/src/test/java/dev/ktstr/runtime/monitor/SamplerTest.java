package dev.ktstr.runtime.monitor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.kvm.introspect.ScxEventLayout;
import dev.ktstr.kvm.introspect.SyntheticKernel;
import dev.ktstr.kvm.introspect.Vmlinux;
import org.junit.jupiter.api.Test;

/** The sampler on a synthetic guest image laid out with the real dev kernel's BTF. */
class SamplerTest {

    static final class Guest {
        final SyntheticKernel k;
        final long rq;
        final long root;
        long pcpu;

        Guest(int cpus) throws Exception {
            Vmlinux v = DevKernel.vmlinux();
            k = SyntheticKernel.create(v.btf(), v.imageLayout(), cpus, 64);
            rq = k.definePerCpu("runqueues", k.sizeOf("rq"));
            root = k.defineSymbol("scx_root", 8);
        }

        void setRq(int cpu, long nr, long clock, long dsq) throws Exception {
            long a = k.perCpu(rq, cpu);
            k.set(a, "rq", "nr_running", nr);
            k.set(a, "rq", "clock", clock);
            k.set(a, "rq", "scx.nr_running", nr);
            k.set(a, "rq", "scx.local_dsq.nr", dsq);
        }

        /** Attaches a sched_ext root instance with per-CPU event counters. */
        long attachScheduler() throws Exception {
            long sched = k.allocDirect(k.sizeOf("scx_sched"));
            pcpu = k.allocPerCpu(k.sizeOf("scx_sched_pcpu"));
            k.set(sched, "scx_sched", "pcpu", pcpu);
            k.writeU64(root, sched);
            return sched;
        }

        void setEvent(int cpu, String member, long v) throws Exception {
            k.set(k.perCpu(pcpu, cpu), "scx_sched_pcpu", "event_stats." + member, v);
        }
    }

    @Test
    void readsEveryCpusRunqueueAndTheSchedulersEventCounters() throws Exception {
        Guest g = new Guest(4);
        for (int cpu = 0; cpu < 4; cpu++) {
            g.setRq(cpu, cpu + 1, 1_000_000L * (cpu + 1), 10 * cpu);
            g.k.set(g.k.perCpu(g.rq, cpu), "rq", "rq_sched_info.run_delay", 777 + cpu);
            g.k.set(g.k.perCpu(g.rq, cpu), "rq", "ttwu_count", 42);
        }
        Sampler s = new Sampler(g.k.attach(), () -> new long[] {1, 2, 3, 4});
        Sample idle = s.sample(0, 0);
        assertEquals(0, idle.scxSched());
        assertNull(idle.cpus().get(0).events(), "no scheduler attached: no counters");
        assertNull(idle.eventsError());

        long sched = g.attachScheduler();
        for (int cpu = 0; cpu < 4; cpu++) {
            g.setEvent(cpu, "SCX_EV_SELECT_CPU_FALLBACK", 100 + cpu);
            g.setEvent(cpu, "SCX_EV_DISPATCH_KEEP_LAST", 7);
        }
        Sample x = s.sample(1, 100_000_000L);
        assertEquals(sched, x.scxSched());
        assertTrue(x.schedExtActive());
        assertEquals(4, x.cpus().size());
        for (int cpu = 0; cpu < 4; cpu++) {
            Sample.Cpu c = x.cpus().get(cpu);
            assertEquals(cpu + 1, c.nrRunning());
            assertEquals(cpu + 1, c.scxNrRunning());
            assertEquals(10 * cpu, c.localDsqDepth());
            assertEquals(1_000_000L * (cpu + 1), c.rqClock());
            assertNotNull(c.schedstat());
            assertEquals(777 + cpu, c.schedstat().runDelayNs());
            assertEquals(42, c.schedstat().ttwuCount());
        }
        assertEquals(100 + 101 + 102 + 103, x.eventTotal(ScxEventLayout.SELECT_CPU_FALLBACK));
        assertEquals(28, x.eventTotal(ScxEventLayout.DISPATCH_KEEP_LAST));
        assertArrayEquals(new long[] {1, 2, 3, 4}, x.vcpuCpuNanos());
    }

    @Test
    void aBrokenSchedulerPointerCostsOnlyTheCounters() throws Exception {
        Guest g = new Guest(2);
        g.setRq(0, 1, 5, 0);
        g.setRq(1, 1, 6, 0);
        long sched = g.k.allocDirect(g.k.sizeOf("scx_sched"));
        g.k.writeU64(g.root, sched); // pcpu pointer left NULL: a scheduler being torn down
        Sample x = new Sampler(g.k.attach(), VcpuTimes.UNKNOWN).sample(0, 0);
        assertTrue(x.eventsError().contains("null pcpu pointer"), x.eventsError());
        assertEquals(-1, x.eventTotal(ScxEventLayout.SELECT_CPU_FALLBACK));
        assertEquals(2, x.cpus().size());
        assertEquals(6, x.cpus().get(1).rqClock());
    }
}
