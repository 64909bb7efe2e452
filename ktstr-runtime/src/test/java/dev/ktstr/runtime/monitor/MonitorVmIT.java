package dev.ktstr.runtime.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.kvm.introspect.BpfArrayMap;
import dev.ktstr.kvm.introspect.BpfMaps;
import dev.ktstr.kvm.introspect.KernelAddressSpace;
import dev.ktstr.kvm.introspect.KernelView;
import dev.ktstr.kvm.introspect.MapField;
import dev.ktstr.kvm.introspect.ScxEventLayout;
import dev.ktstr.kvm.introspect.WatchdogOverride;
import dev.ktstr.runtime.result.MonitorSummary;
import dev.ktstr.runtime.sched.SchedulerFailure;
import dev.ktstr.runtime.sched.SchedulerLaunch;
import dev.ktstr.runtime.sched.SchedulerSession;
import dev.ktstr.runtime.sched.WatchdogControl;
import dev.ktstr.topology.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The monitor and host-side guest-kernel access on a real guest: the product's engine and kernel, a
 * two-CPU guest booted by {@code GuestLauncher} with scx_simple and ktstr_fixture from the scheduler
 * cache, symbols from the guest's /proc/kallsyms through the agent. One boot serves every test, in
 * order: what the host reads of the kernel, samples under scx_simple (with its watchdog shortened by
 * the host), a BPF map write that stalls the fixture, and the fixture's stall ejected within a
 * timeout only the host set.
 */
@Tag("vm")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MonitorVmIT {

    private static final int CPUS = 2;
    /** ktstr_fixture's {@code .bss} map (libbpf: the object name's prefix + ".bss"). */
    private static final String BSS = ".bss";

    private final Path cache = Path.of("target", "kallsyms-cache-" + ProcessHandle.current().pid());
    private RealGuest g;

    @BeforeAll
    void boot() throws Exception {
        long t0 = System.nanoTime();
        g = RealGuest.boot(Topology.parse("1,1,2,1"), List.of("scx_simple", "ktstr_fixture"), cache);
        System.out.printf("booted and attached in %d ms on %s; symbols from the guest's /proc/kallsyms in %d ms%n",
                (System.nanoTime() - t0) / 1_000_000, g.vm.engineId(), g.kallsymsMs);
    }

    @AfterAll
    void shutdown() throws Exception {
        if (g != null) {
            g.close();
        }
        if (Files.isDirectory(cache)) {
            try (var s = Files.list(cache)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    Files.delete(p);
                }
            }
            Files.delete(cache);
        }
    }

    @Test
    @Order(1)
    void theHostReadsTheGuestKernelAndItsVcpuTimes() throws Exception {
        assertEquals(CPUS, g.view.nrCpuIds());
        assertEquals(KernelAddressSpace.PAGE_OFFSET_L4, g.view.addressSpace().pageOffsetBase());
        assertEquals(4, g.view.addressSpace().levels(), "QEMU's default CPU has no LA57");
        try (var s = Files.list(cache)) {
            assertEquals(List.of(g.vmlinux.buildId().orElseThrow() + ".syms.gz"),
                    s.map(p -> p.getFileName().toString()).toList(), "kallsyms cached per build id");
        }
        long[] a = g.vm.vm().vcpuCpuTimeNs();
        Thread.sleep(300);
        long[] b = g.vm.vm().vcpuCpuTimeNs();
        int expected = g.vm.engineId().equals("qemu-tcg") ? 1 : CPUS;
        assertEquals(expected, b.length, "qemu-tcg runs every vCPU on one thread; other engines have one per vCPU");
        assertTrue(b[0] > a[0] && a[0] > 0, "vCPU CPU time advances: " + a[0] + " then " + b[0]);
    }

    /**
     * Three spinners, then one spinner pinned to each CPU, under scx_simple whose watchdog the host
     * shortened to 3 s: settled samples count exactly the workers (give or take one short-lived task:
     * the loader printing its stats, a kworker), the keep-last counter moves while each CPU has one
     * task, the scheduler survives its shorter watchdog, and the phases line up with the steps.
     */
    @Test
    @Order(2)
    void underScxSimpleSamplesCountTheWorkersAndEventCountersMove() throws Exception {
        Duration watchdog = Duration.ofSeconds(3);
        AtomicReference<WatchdogOverride.Applied> applied = new AtomicReference<>();
        WatchdogControl host = hostOverride(applied);
        SchedulerLaunch launch = RealGuest.launch("scx_simple", List.of(), Optional.of(watchdog), Optional.empty());
        assertEquals(SchedulerLaunch.WatchdogMode.HOST_OVERRIDE, launch.watchdogMode(), "scx_simple has no option");
        SchedulerSession s = SchedulerSession.start(g.agent(), launch, Optional.of(host));
        assertTrue(s.attached(), () -> s.attachFailure().orElseThrow().summary());

        // The value written is the value the kernel now reads.
        assertEquals(3L * g.hz, WatchdogOverride.current(g.view));
        assertEquals(30L * g.hz, applied.get().previous(), "the kernel's default for a scheduler without timeout_ms");
        assertTrue(applied.get().inForceAfterJiffies() > 0 && applied.get().inForceAfterJiffies() <= 15L * g.hz,
                "the watchdog work queued at enable runs within half the old timeout: " + applied.get());
        long interval = g.view.u64(g.view.symbol("scx_watchdog_interval"));
        assertTrue(interval > 0 && interval <= 3L * g.hz / 2, "watchdog checked every " + interval + " jiffies");

        List<StepWindow> steps = new ArrayList<>();
        List<Sample> samples;
        MonitorSummary sum;
        // One CPU-bound task per CPU makes keep-last the normal path (one event per slice and CPU: 100/s
        // on two CPUs with hardware virtualization), so its limit is lifted here.
        try (Monitor m = g.monitor(MonitorConfig.defaults().withWarmupSamples(0).withMaxKeepLastRate(1000))) {
            m.start();
            Thread.sleep(300);
            int three = g.startWorkers(RealGuest.KW_CPU_SPIN, 3, "");
            long t0 = m.elapsedMs(System.nanoTime());
            Thread.sleep(2500);
            long t1 = m.elapsedMs(System.nanoTime());
            g.stopWorkers(three);
            steps.add(new StepWindow(0, t0, t1));
            int on0 = g.startWorkers(RealGuest.KW_CPU_SPIN, 1, "0");
            int on1 = g.startWorkers(RealGuest.KW_CPU_SPIN, 1, "1");
            long t2 = m.elapsedMs(System.nanoTime());
            Thread.sleep(2500);
            long t3 = m.elapsedMs(System.nanoTime());
            g.stopWorkers(on0, on1);
            steps.add(new StepWindow(1, t2, t3));
            m.stop();
            sum = m.summary(steps);
            samples = m.recentSamples();
        }
        // scx_simple's per-CPU "stats" map (local and global dispatch counts), read and written behind
        // its back: its loader sums the per-CPU values through bpf() every second and prints them.
        BpfArrayMap stats = BpfMaps.open(g.view).openArray("stats");
        assertTrue(stats.perCpu(), stats.info().toString());
        long dispatched = 0;
        for (int cpu = 0; cpu < CPUS; cpu++) {
            dispatched += KernelView.le(stats.read(0, cpu), 0, 8) + KernelView.le(stats.read(1, cpu), 0, 8);
        }
        assertTrue(dispatched > 100, "dispatches counted per CPU: " + dispatched);
        long planted = 1_000_000_000_000L;
        stats.write(1, 1, java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putLong(planted).array());
        Thread.sleep(1500);
        Optional<SchedulerFailure> live = s.check();
        SchedulerSession.Report r = s.stop();
        long lastGlobal = r.output().lines().filter(l -> l.startsWith("local=")).reduce((a, b) -> b)
                .map(l -> Long.parseLong(l.substring(l.indexOf("global=") + 7).strip())).orElse(-1L);
        assertTrue(lastGlobal >= planted, "the loader's bpf() sees the host's per-CPU write: " + r.output());
        String evidence = sum + "\nsteps " + steps + "\n" + series(samples) + r.notes() + "\n" + g.consoleTail();

        assertTrue(live.isEmpty(), () -> "scx_simple survives a 3 s watchdog for 6 s: " + live.get().summary());
        assertTrue(r.failure().isEmpty() && r.detached(), evidence);
        assertTrue(r.notes().stream().anyMatch(n -> n.startsWith("watchdog timeout 3000 ms written by the host: ")),
                r.notes().toString());

        // Settled samples (from one period after the workers started until they were stopped) count the
        // workers: never fewer; most exactly; one more (the loader printing its stats, the agent, a
        // kworker) sometimes; more than one more only in a single sample at a time.
        int checked = 0;
        for (int i = 0; i < steps.size(); i++) {
            StepWindow w = steps.get(i);
            int expected = i == 0 ? 3 : 2;
            List<Sample> settled = samples.stream().filter(x -> x.elapsedNanos() / 1_000_000 >= w.startMs() + 100
                    && x.elapsedNanos() / 1_000_000 < w.endMs()).toList();
            int exact = 0;
            for (int j = 0; j < settled.size(); j++) {
                Sample x = settled.get(j);
                long nr = x.cpus().stream().mapToLong(Sample.Cpu::nrRunning).sum();
                long scx = x.cpus().stream().mapToLong(Sample.Cpu::scxNrRunning).sum();
                String at = "step " + i + ", sample " + x.index() + " at +" + x.elapsedNanos() / 1_000_000
                        + " ms: nr_running " + x.cpus().stream().map(Sample.Cpu::nrRunning).toList() + ", "
                        + expected + " workers\n" + evidence;
                assertTrue(nr >= expected, at);
                if (nr > expected + 1) {
                    long before = j == 0 ? expected : total(settled.get(j - 1));
                    long after = j + 1 == settled.size() ? expected : total(settled.get(j + 1));
                    assertTrue(before <= expected + 1 && after <= expected + 1, "more than one sample off: " + at);
                }
                assertTrue(scx >= expected && scx <= nr, "all workers are sched_ext tasks: scx " + scx + ", " + at);
                assertTrue(x.schedExtActive());
                assertNull(x.eventsError(), x.eventsError());
                exact += nr == expected ? 1 : 0;
            }
            assertTrue(settled.size() >= 15, "only " + settled.size() + " settled samples in step " + i + "\n" + evidence);
            assertTrue(exact * 3 >= settled.size() * 2, exact + " of " + settled.size() + " samples of step " + i
                    + " count exactly " + expected + "\n" + evidence);
            checked += settled.size();
        }
        assertTrue(checked >= 30, "only " + checked + " settled samples\n" + evidence);
        for (int i = 1; i < samples.size(); i++) {
            long[] v0 = samples.get(i - 1).vcpuCpuNanos();
            long[] v1 = samples.get(i).vcpuCpuNanos();
            // The emulator got enough host CPU for every vCPU to tick (10 ticks each) in between.
            boolean ran = v1[0] - v0[0] >= 10L * CPUS * 1_000_000_000L / g.hz;
            for (int c = 0; c < CPUS; c++) {
                Sample.Cpu a = samples.get(i - 1).cpus().get(c);
                Sample.Cpu b = samples.get(i).cpus().get(c);
                assertTrue(b.rqClock() >= a.rqClock(), "cpu " + c + ": rq clock went back");
                if (a.nrRunning() > 0 && b.nrRunning() > 0 && ran) {
                    assertTrue(b.rqClock() > a.rqClock(), "busy cpu " + c + ": rq clock " + a.rqClock() + " then "
                            + b.rqClock() + "\n" + evidence);
                }
            }
        }

        // Schedstats (the product boots with sched_schedstats=1): the busy runqueues schedule and wake.
        Sample.Schedstat s0 = samples.get(0).cpus().get(1).schedstat();
        Sample.Schedstat s1 = samples.get(samples.size() - 1).cpus().get(1).schedstat();
        assertTrue(s0 != null && s1 != null, "CONFIG_SCHEDSTATS fields sampled");
        assertTrue(s1.schedCount() > s0.schedCount() && s1.pcount() > s0.pcount() && s1.runDelayNs() >= s0.runDelayNs(),
                s0 + " then " + s1);

        Sample first = samples.stream().filter(x -> x.elapsedNanos() / 1_000_000 >= steps.get(1).startMs()).findFirst()
                .orElseThrow();
        Sample last = samples.stream().filter(x -> x.elapsedNanos() / 1_000_000 < steps.get(1).endMs())
                .reduce((a, b) -> b).orElseThrow();
        assertTrue(last.eventNames().contains(ScxEventLayout.SELECT_CPU_FALLBACK), last.eventNames().toString());
        for (String e : last.eventNames()) {
            assertTrue(last.eventTotal(e) >= first.eventTotal(e), e + " went backwards");
        }
        long keepLast = last.eventTotal(ScxEventLayout.DISPATCH_KEEP_LAST)
                - first.eventTotal(ScxEventLayout.DISPATCH_KEEP_LAST);
        assertTrue(keepLast >= 20, "one task per CPU: its slice ends with nothing else to run, keep-last moves: +"
                + keepLast + "\n" + evidence);

        assertEquals("ok", sum.status(), evidence);
        assertEquals(List.of(), sum.violations(), evidence);
        assertEquals(0, sum.stallCount(), evidence);
        assertEquals(2, sum.phases().size());
        assertEquals(1.5, sum.phases().get(0).meanNrRunning(), 0.3, "3 workers on 2 CPUs: " + evidence);
        assertEquals(1.0, sum.phases().get(1).meanNrRunning(), 0.3, "1 worker per CPU: " + evidence);
        assertTrue(sum.phases().get(1).keepLastDelta() >= keepLast / 2, evidence);
        if (g.vm.engineId().equals("qemu-tcg")) {
            assertTrue(sum.notes().stream().anyMatch(n -> n.contains("one emulation thread runs all 2 vCPUs")), evidence);
        }
    }

    /**
     * The fixture's {@code .bss} variable {@code stall} written from the host while user tasks run: the
     * fixture stops dispatching them and the kernel's watchdog ejects it ("runnable task stall") within
     * its 2 s timeout + 5 s. The loader never signalled it; it reports the stall flag the host set.
     */
    @Test
    @Order(3)
    void aBssStallFlagWrittenByTheHostGetsTheFixtureEjected() throws Exception {
        Duration watchdog = Duration.ofSeconds(2);
        SchedulerSession s = SchedulerSession.start(g.agent(), RealGuest.launch("ktstr_fixture", List.of(),
                Optional.of(watchdog), Optional.empty()), Optional.empty());
        assertTrue(s.attached(), () -> s.attachFailure().orElseThrow().summary());
        int workers = g.startWorkers(RealGuest.KW_CPU_SPIN, 2, "");
        Thread.sleep(500);

        BpfArrayMap bss = BpfMaps.open(g.view).openArray(BSS);
        MapField stall = bss.field("stall");
        MapField dispatched = bss.field("nr_dispatched");
        assertEquals(0, bss.readField(0, stall), "not stalling yet");
        long d0 = bss.readField(0, dispatched);
        Thread.sleep(300);
        long d1 = bss.readField(0, dispatched);
        assertTrue(d1 > d0 && d0 > 0, "the live map: nr_dispatched " + d0 + " then " + d1);

        long t0 = System.nanoTime();
        bss.writeField(0, stall, 1);
        Optional<SchedulerFailure> f = s.awaitFailure(Duration.ofSeconds(30));
        double secs = (System.nanoTime() - t0) / 1e9;
        SchedulerSession.Report r = s.stop();
        g.stopWorkers(workers);
        System.out.printf(Locale.ROOT, "host wrote .bss stall=1 (%s at 0x%x): %s after %.1f s%n", bss.info().name(),
                bss.info().kva(), f.map(SchedulerFailure::summary).orElse("nothing"), secs);
        SchedulerFailure.Ejected e = assertInstanceOf(SchedulerFailure.Ejected.class, f.orElseThrow(),
                () -> r.output());
        assertEquals("runnable task stall", e.exit().reason());
        assertTrue(secs <= watchdog.toSeconds() + 5, "ejected " + secs + " s after the write");
        assertFalse(r.output().contains("stall requested by SIGUSR1"), r.output());
        assertTrue(r.detached());
    }

    /**
     * The fixture has no timeout option on its command line, so the kernel's 30 s default applies
     * until the host writes 2 s. That write is in force for runnable tasks from the kernel's watchdog
     * run queued at enable (15 s later); the fixture stalls after 16 s, and the kernel ejects it
     * within 2 + 5 s of the stall, not 30 s.
     */
    @Test
    @Order(4)
    void theFixturesStallIsEjectedWithinTheTimeoutOnlyTheHostSet() throws Exception {
        Duration watchdog = Duration.ofSeconds(2);
        long stallAfterS = 16;
        SchedulerLaunch launch = RealGuest.launch("ktstr_fixture", List.of("--stall-after", Long.toString(stallAfterS)),
                Optional.of(watchdog), Optional.of(SchedulerLaunch.WatchdogMode.HOST_OVERRIDE));
        assertFalse(launch.args().contains("--timeout-ms"), launch.args().toString());
        AtomicReference<WatchdogOverride.Applied> applied = new AtomicReference<>();
        long t0 = System.nanoTime();
        SchedulerSession s = SchedulerSession.start(g.agent(), launch, Optional.of(hostOverride(applied)));
        assertTrue(s.attached(), () -> s.attachFailure().orElseThrow().summary());
        WatchdogOverride.Applied w = applied.get();
        assertEquals(30L * g.hz, w.previous(), w.toString());
        assertEquals(2L * g.hz, w.jiffies());
        double inForceS = (System.nanoTime() - t0) / 1e9 + w.inForceAfterJiffies() / (double) g.hz;
        assertTrue(inForceS < stallAfterS, "in force " + inForceS + " s after start, before the stall");

        Optional<SchedulerFailure> f = s.awaitFailure(Duration.ofSeconds(stallAfterS + 30));
        double secs = (System.nanoTime() - t0) / 1e9;
        SchedulerSession.Report r = s.stop();
        System.out.printf(Locale.ROOT, "stall after %d s, host override 2 s (in force after %.1f s): %s %.1f s after "
                + "start%n", stallAfterS, inForceS, f.map(SchedulerFailure::summary).orElse("nothing"), secs);
        SchedulerFailure.Ejected e = assertInstanceOf(SchedulerFailure.Ejected.class, f.orElseThrow());
        assertEquals("runnable task stall", e.exit().reason());
        assertTrue(e.exit().message().contains("failed to run for"), "a task stall, not a missed check-in: "
                + e.exit().message());
        // The fixture's clock starts after t0, so the stall began at least stallAfterS after t0.
        assertTrue(secs - stallAfterS <= watchdog.toSeconds() + 5, "ejected at most " + (secs - stallAfterS)
                + " s after the stall");
        assertTrue(r.detached());
    }

    private WatchdogControl hostOverride(AtomicReference<WatchdogOverride.Applied> applied) {
        return t -> {
            WatchdogOverride.Applied w = WatchdogOverride.apply(g.view, t, g.hz);
            applied.set(w);
            return w.toString();
        };
    }

    private static long total(Sample x) {
        return x.cpus().stream().mapToLong(Sample.Cpu::nrRunning).sum();
    }

    private static String series(List<Sample> samples) {
        StringBuilder sb = new StringBuilder();
        for (Sample x : samples) {
            sb.append(String.format(Locale.ROOT, "+%d ms nr %s keep-last %d%n", x.elapsedNanos() / 1_000_000,
                    x.cpus().stream().map(Sample.Cpu::nrRunning).toList(),
                    x.eventTotal(ScxEventLayout.DISPATCH_KEEP_LAST)));
        }
        return sb.toString();
    }
}
