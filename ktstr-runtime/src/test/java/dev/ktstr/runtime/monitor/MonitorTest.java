package dev.ktstr.runtime.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.kvm.introspect.KernelSymbols;
import dev.ktstr.runtime.result.MonitorSummary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MonitorTest {

    private static boolean monitorThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("ktstr-monitor") && t.isAlive());
    }

    @Test
    void samplesPeriodicallyUntilStoppedAndLeavesNoThread() throws Exception {
        SamplerTest.Guest g = new SamplerTest.Guest(2);
        g.attachScheduler();
        g.setRq(0, 1, 5, 0);
        g.setRq(1, 1, 5, 0);
        MonitorConfig cfg = MonitorConfig.defaults().withPeriod(Duration.ofMillis(10)).withWarmupSamples(0);
        long[] vcpu = new long[2];
        Monitor m = ((MonitorAttach.Ready) Monitor.attach(g.k.attach(), 250, cfg, () -> vcpu.clone())).monitor();
        try (m) {
            m.start();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (m.recentSamples().size() < 8 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            m.stop();
            int n = m.recentSamples().size();
            assertTrue(n >= 8, "took " + n + " samples in 10 s at a 10 ms period");
            Thread.sleep(50);
            assertEquals(n, m.recentSamples().size(), "no sample after stop()");
            List<Sample> ss = m.recentSamples();
            for (int i = 1; i < ss.size(); i++) {
                assertTrue(ss.get(i).elapsedNanos() > ss.get(i - 1).elapsedNanos());
                assertEquals(ss.get(i - 1).index() + 1, ss.get(i).index());
            }
            MonitorSummary s = m.summary(List.of(new StepWindow(0, 0, m.elapsedMs(System.nanoTime()) + 1)));
            assertEquals(n, s.samples());
            assertEquals(10, s.periodMs());
            assertTrue(s.status().startsWith("not initialized: every rq clock"), "the synthetic clocks never move: "
                    + s.status());
        }
        assertFalse(monitorThreadAlive(), "the sampling thread ended");
    }

    @Test
    void aRandomizedGuestDisablesTheMonitorWithOneLine() throws Exception {
        SamplerTest.Guest g = new SamplerTest.Guest(1);
        List<Map.Entry<String, Long>> slid = new ArrayList<>();
        for (Map.Entry<String, Long> e : g.k.symbols().entries()) {
            slid.add(Map.entry(e.getKey(), e.getValue() + 0x1600000L));
        }
        MonitorAttach a = Monitor.attach(g.k.memory(), DevKernel.vmlinux(), KernelSymbols.of("kallsyms", slid), 250,
                MonitorConfig.defaults(), VcpuTimes.UNKNOWN);
        MonitorAttach.Disabled d = assertInstanceOf(MonitorAttach.Disabled.class, a);
        assertTrue(d.line().startsWith("monitor disabled: KASLR active (boot with nokaslr)"), d.line());
        assertEquals("disabled: " + d.reason(), MonitorSummary.disabled(d.reason(), 100).status());
    }

    @Test
    void missingRunqueuesSymbolDisablesTheMonitor() throws Exception {
        SamplerTest.Guest g = new SamplerTest.Guest(1);
        List<Map.Entry<String, Long>> syms = new ArrayList<>(g.k.symbols().entries());
        syms.removeIf(e -> e.getKey().equals("runqueues"));
        MonitorAttach a = Monitor.attach(g.k.memory(), DevKernel.vmlinux(), KernelSymbols.of("kallsyms", syms), 250,
                MonitorConfig.defaults(), VcpuTimes.UNKNOWN);
        assertEquals("monitor disabled: symbol runqueues not found in kallsyms",
                ((MonitorAttach.Disabled) a).line());
    }

    @Test
    void aKernelWithAnUnknownRunqueueLayoutDisablesTheMonitor() throws Exception {
        // BTF with a single "int": no struct rq at all.
        byte[] strings = "\0int\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(24 + 16 + strings.length)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 0xeb9f).put((byte) 1).put((byte) 0).putInt(24).putInt(0).putInt(16).putInt(16)
                .putInt(strings.length);
        b.putInt(1).putInt(1 << 24).putInt(4).putInt(1 << 24 | 32).put(strings);
        dev.ktstr.kvm.introspect.Btf btf = dev.ktstr.kvm.introspect.Btf.parse("odd kernel BTF", b.flip());
        dev.ktstr.kvm.introspect.SyntheticKernel k = dev.ktstr.kvm.introspect.SyntheticKernel.create(btf,
                new dev.ktstr.kvm.introspect.ImageLayout(0xffffffff81000000L, 0xffffffff84800000L), 1, 64);
        k.definePerCpu("runqueues", 4096);
        MonitorAttach a = Monitor.attach(k.attach(), 250, MonitorConfig.defaults(), VcpuTimes.UNKNOWN);
        assertEquals("monitor disabled: odd kernel BTF: no struct or union rq in BTF (looking for rq.nr_running)",
                ((MonitorAttach.Disabled) a).line());
    }
}
