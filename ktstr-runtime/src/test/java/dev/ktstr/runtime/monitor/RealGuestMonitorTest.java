package dev.ktstr.runtime.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.kvm.introspect.BpfArrayMap;
import dev.ktstr.kvm.introspect.BpfMapInfo;
import dev.ktstr.kvm.introspect.BpfMaps;
import dev.ktstr.kvm.introspect.Btf;
import dev.ktstr.kvm.introspect.KallsymsCache;
import dev.ktstr.kvm.introspect.KernelAddressSpace;
import dev.ktstr.kvm.introspect.KernelConfig;
import dev.ktstr.kvm.introspect.KernelSymbols;
import dev.ktstr.kvm.introspect.KernelView;
import dev.ktstr.kvm.introspect.MapField;
import dev.ktstr.kvm.introspect.ScxEventLayout;
import dev.ktstr.kvm.introspect.SymbolResolver;
import dev.ktstr.kvm.introspect.Vmlinux;
import dev.ktstr.kvm.introspect.WatchdogOverride;
import dev.ktstr.runtime.result.MonitorSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The monitor and guest-memory introspection against a real guest kernel (the dev 7.3 kernel under
 * QEMU TCG, booted by the {@link SpikeGuest} test scaffolding with {@code nokaslr}). One boot serves
 * every test, in order: the kernel's default scheduler first, then BPF maps, then a sched_ext
 * scheduler attached for the rest.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealGuestMonitorTest {

    private static final int CPUS = 2;

    private SpikeGuest guest;
    private Vmlinux vmlinux;
    private KernelView view;
    private int hz;

    @BeforeAll
    void boot() throws Exception {
        vmlinux = DevKernel.vmlinux();
        hz = KernelConfig.read(DevKernel.CONFIG).hz().orElseThrow();
        guest = SpikeGuest.boot(CPUS, SpikeGuest.Kernel.PVH_NOKASLR);
        KallsymsCache cache = new KallsymsCache(Path.of("target", "kallsyms-cache"));
        KernelSymbols syms = SymbolResolver.resolve(vmlinux, cache, () -> {
            try {
                return guest.kallsyms(KernelSymbols.INTROSPECTION_SYMBOLS);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
        view = KernelView.attach(guest.memory(), vmlinux, syms);
    }

    @AfterAll
    void shutdown() throws Exception {
        if (guest != null) {
            guest.close();
        }
    }

    private Monitor monitor(MonitorConfig cfg) {
        MonitorAttach a = Monitor.attach(view, hz, cfg, guest::vcpuCpuTimeNs);
        if (a instanceof MonitorAttach.Disabled d) {
            throw new AssertionError(d.line());
        }
        return ((MonitorAttach.Ready) a).monitor();
    }

    private static MonitorConfig fastChecks() {
        return MonitorConfig.defaults().withWarmupSamples(0);
    }

    @Test
    @Order(1)
    void attachValidatesTheRealKernelLayout() {
        assertEquals(CPUS, view.nrCpuIds());
        assertEquals(KernelAddressSpace.PAGE_OFFSET_L4, view.addressSpace().pageOffsetBase());
        assertEquals(4, view.addressSpace().levels(), "QEMU's default CPU has no LA57");
        assertEquals(1, guest.vcpuCpuTimeNs().length, "thread=single: one emulation thread for every vCPU");
    }

    @Test
    @Order(2)
    void runqueuesCountTheSpinnersAndAPileUpIsAnImbalance() throws Exception {
        List<StepWindow> steps = new ArrayList<>();
        MonitorSummary s;
        List<Sample> samples;
        try (Monitor m = monitor(fastChecks().withCheckDefaultScheduler(true))) {
            m.start();
            guest.ok("spin 0");
            guest.ok("spin 1");
            long t0 = m.elapsedMs(System.nanoTime());
            Thread.sleep(2500);
            guest.ok("killall");
            long t1 = m.elapsedMs(System.nanoTime());
            steps.add(new StepWindow(0, t0, t1));
            for (int i = 0; i < 6; i++) {
                guest.ok("spin 0");
            }
            long t2 = m.elapsedMs(System.nanoTime());
            Thread.sleep(2500);
            long t3 = m.elapsedMs(System.nanoTime());
            steps.add(new StepWindow(1, t2, t3));
            guest.ok("killall");
            m.stop();
            s = m.summary(steps);
            samples = m.recentSamples();
        }
        StringBuilder series = new StringBuilder();
        for (Sample x : samples) {
            series.append(String.format("+%d ms %s%n", x.elapsedNanos() / 1_000_000,
                    x.cpus().stream().map(c -> String.valueOf(c.nrRunning())).toList()));
        }
        String evidence = s + "\nsteps " + steps + "\n" + series + guest.consoleTail();

        // Settled samples (300 ms after each step began) count exactly the spinners, give or take one
        // short-lived task (init answering a command, a kworker).
        int spread = 0;
        int checked = 0;
        for (Sample x : samples) {
            long ms = x.elapsedNanos() / 1_000_000;
            int expected = ms >= steps.get(0).startMs() + 300 && ms < steps.get(0).endMs() - 200 ? 2
                    : ms >= steps.get(1).startMs() + 300 && ms < steps.get(1).endMs() ? 6 : -1;
            if (expected < 0) {
                continue;
            }
            long sum = x.cpus().stream().mapToLong(Sample.Cpu::nrRunning).sum();
            assertTrue(sum >= expected && sum <= expected + 1, "sample " + x.index() + " at +" + ms + " ms: nr_running "
                    + x.cpus().stream().map(c -> String.valueOf(c.nrRunning())).toList() + ", expected " + expected
                    + " spinners\n" + evidence);
            checked++;
            spread += sum == expected ? 0 : 1;
        }
        assertTrue(checked >= 20, "only " + checked + " settled samples\n" + evidence);
        assertTrue(spread <= checked / 2, spread + " of " + checked + " samples saw an extra task\n" + evidence);

        for (int i = 1; i < samples.size(); i++) {
            for (int c = 0; c < CPUS; c++) {
                Sample.Cpu a = samples.get(i - 1).cpus().get(c);
                Sample.Cpu b = samples.get(i).cpus().get(c);
                if (a.nrRunning() > 0 && b.nrRunning() > 0) {
                    assertTrue(b.rqClock() > a.rqClock(), "busy cpu " + c + ": rq clock " + a.rqClock() + " then "
                            + b.rqClock() + "\n" + evidence);
                }
            }
        }

        MonitorSummary.Phase balanced = s.phases().get(0);
        MonitorSummary.Phase piled = s.phases().get(1);
        assertEquals("ok", s.status(), evidence);
        assertTrue(balanced.maxImbalanceRatio() <= 2.0, evidence);
        assertTrue(piled.maxImbalanceRatio() >= 6.0, evidence);
        assertTrue(piled.meanNrRunning() >= 2.5, evidence);
        assertTrue(s.maxImbalanceRatio() >= 6.0, "sustained: " + evidence);
        assertTrue(s.violations().stream().anyMatch(v -> v.startsWith("imbalance: ")), evidence);
        assertEquals(0, s.stallCount(), "a healthy guest has no stalls: " + evidence);
        assertTrue(s.notes().stream().anyMatch(n -> n.contains("one emulation thread runs all 2 vCPUs")), evidence);
    }

    @Test
    @Order(3)
    void bpfArrayMapsAreReadAndWrittenBehindTheGuestsBack() throws Exception {
        guest.ok("bpf");
        BpfMaps maps = BpfMaps.open(view);
        List<String> names = maps.list().stream().map(BpfMapInfo::name).toList();
        assertTrue(names.contains("ktstr_t.bss") && names.contains("ktstr_pcpu"), names.toString());

        BpfArrayMap bss = maps.openArray(".bss");
        MapField stall = bss.field("stall");
        MapField nr = bss.field("nr_dispatched");
        assertEquals(7, bss.readField(0, stall));
        assertEquals(0x1122334455667788L, bss.readField(0, nr));
        bss.writeField(0, stall, -3);
        bss.writeField(0, nr, 42);

        BpfArrayMap pcpu = maps.openArray("ktstr_pcpu");
        for (int cpu = 0; cpu < CPUS; cpu++) {
            assertEquals(100 + cpu, KernelView.le(pcpu.read(1, cpu), 0, 8));
        }
        byte[] v = new byte[8];
        v[0] = 55;
        v[1] = 2; // 0x237 = 567
        pcpu.write(1, 0, v);

        assertEquals("bss -3 42", guest.command("bpfget"), "the guest's bpf() sees the host's writes");
        assertEquals("pcpu 567 101", guest.reply(), "and the per-CPU write on cpu 0 only");
    }

    @Test
    @Order(4)
    void schedExtSchedulerIsSeenWithEventCountersAndItsWatchdogCanBeOverridden() throws Exception {
        Btf btf = vmlinux.btf();
        int typeId = btf.struct("bpf_struct_ops_sched_ext_ops").id();
        long size = btf.struct("bpf_struct_ops_sched_ext_ops").size();
        long nameOff = btf.field("bpf_struct_ops_sched_ext_ops", "data.name").byteOffset();
        guest.ok("scx " + typeId + " " + size + " " + nameOff);
        assertEquals("line enabled", guest.command("cat /sys/kernel/sched_ext/state"), guest.consoleTail());
        assertEquals("line ktstr_null", guest.command("cat /sys/kernel/sched_ext/root/ops"));

        long sched = view.u64(view.symbol("scx_root"));
        assertNotEquals(0, sched, "scx_root points at the attached scheduler");
        assertEquals(30L * hz, WatchdogOverride.current(view), "SCX_WATCHDOG_MAX_TIMEOUT when ops.timeout_ms is 0");
        WatchdogOverride.Applied w = WatchdogOverride.apply(view, Duration.ofSeconds(4), hz);
        assertEquals("scx_root->watchdog_timeout", w.location());
        assertEquals(4L * hz, WatchdogOverride.current(view));

        guest.ok("spin 0");
        guest.ok("spin 1");
        guest.ok("spin 1");
        Sampler sampler = new Sampler(view, guest::vcpuCpuTimeNs);
        Sample first = sampler.sample(0, 0);
        MonitorSummary s;
        try (Monitor m = monitor(fastChecks())) {
            m.start();
            Thread.sleep(2000);
            m.stop();
            s = m.summary(List.of());
            Sample last = sampler.sample(1, 1);
            assertNull(last.eventsError(), last.eventsError());
            assertEquals(sched, last.scxSched());
            assertTrue(last.eventNames().contains(ScxEventLayout.SELECT_CPU_FALLBACK), last.eventNames().toString());
            for (String e : last.eventNames()) {
                long a = first.eventTotal(e);
                long b = last.eventTotal(e);
                assertTrue(a >= 0 && b >= a, e + ": " + a + " then " + b);
            }
            long nr = last.cpus().stream().mapToLong(Sample.Cpu::nrRunning).sum();
            long scxNr = last.cpus().stream().mapToLong(Sample.Cpu::scxNrRunning).sum();
            assertTrue(nr >= 3 && scxNr >= 3, "all spinners run under sched_ext: nr_running " + nr + ", scx " + scxNr);
            for (Sample x : m.recentSamples()) {
                assertTrue(x.schedExtActive());
                for (Sample.Cpu c : x.cpus()) {
                    assertTrue(c.localDsqDepth() >= 0 && c.localDsqDepth() < 1000, c.toString());
                }
            }
        }
        guest.ok("killall");
        String evidence = s + "\n" + guest.consoleTail();
        assertEquals("ok", s.status(), evidence);
        assertTrue(s.samples() >= 10, evidence);
        assertEquals(List.of(), s.violations(), "3 spinners on 2 CPUs is not an imbalance: " + evidence);
        assertEquals("line enabled", guest.command("cat /sys/kernel/sched_ext/state"),
                "the 4 s watchdog did not eject a healthy scheduler");
    }
}
