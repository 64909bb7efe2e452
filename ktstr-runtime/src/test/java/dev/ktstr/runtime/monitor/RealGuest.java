package dev.ktstr.runtime.monitor;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ktstr.kvm.engine.EngineSelector;
import dev.ktstr.kvm.introspect.KallsymsCache;
import dev.ktstr.kvm.introspect.KernelConfig;
import dev.ktstr.kvm.introspect.KernelSymbols;
import dev.ktstr.kvm.introspect.KernelView;
import dev.ktstr.kvm.introspect.SymbolResolver;
import dev.ktstr.kvm.introspect.Vmlinux;
import dev.ktstr.runtime.agent.AgentException;
import dev.ktstr.runtime.agent.GuestAgent;
import dev.ktstr.runtime.agent.WorkerGroupSpec;
import dev.ktstr.runtime.kernel.KernelException;
import dev.ktstr.runtime.kernel.KernelProvisioner;
import dev.ktstr.runtime.kernel.ProgressSink;
import dev.ktstr.runtime.kernel.ResolvedKernel;
import dev.ktstr.runtime.measure.WorkerReport;
import dev.ktstr.runtime.sched.BuildableScheduler;
import dev.ktstr.runtime.sched.SchedulerCatalog;
import dev.ktstr.runtime.sched.SchedulerDefinition;
import dev.ktstr.runtime.sched.SchedulerException;
import dev.ktstr.runtime.sched.SchedulerLaunch;
import dev.ktstr.runtime.vm.BootException;
import dev.ktstr.runtime.vm.GuestLauncher;
import dev.ktstr.runtime.vm.GuestVm;
import dev.ktstr.topology.Topology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test support for the monitor on real guests: the product's own engine, kernel and scheduler cache
 * (or a skipped test naming what is missing), a guest booted by {@link GuestLauncher} with scheduler
 * binaries at {@code /include-files/<name>}, its kernel read from the host the way the runner does
 * ({@code GuestIntrospection}: symbols from the guest's /proc/kallsyms through the agent, cached per
 * build id), and worker groups of the agent's own work types.
 */
final class RealGuest implements AutoCloseable {

    /** Work type id of {@code ktstr_work.h}. */
    static final int KW_CPU_SPIN = 1;
    private static final AtomicInteger GROUPS = new AtomicInteger(1);

    final EngineSelector.Choice engine;
    final ResolvedKernel kernel;
    final GuestVm vm;
    final Vmlinux vmlinux;
    final KernelView view;
    final int hz;
    final long kallsymsMs;

    private RealGuest(EngineSelector.Choice engine, ResolvedKernel kernel, GuestVm vm, Vmlinux vmlinux,
            KernelView view, int hz, long kallsymsMs) {
        this.engine = engine;
        this.kernel = kernel;
        this.vm = vm;
        this.vmlinux = vmlinux;
        this.view = view;
        this.hz = hz;
        this.kallsymsMs = kallsymsMs;
    }

    /** The engine of this host, or a skipped test. */
    static EngineSelector.Choice engine() {
        EngineSelector.Choice c = EngineSelector.fromServiceLoader().choose();
        assumeTrue(c.found(), () -> "no VM engine: " + c.reason());
        return c;
    }

    /** The default kernel with its vmlinux (BTF), or a skipped test. */
    static ResolvedKernel kernel() {
        ResolvedKernel k;
        try {
            k = KernelProvisioner.ensureDefault(ProgressSink.SILENT);
        } catch (KernelException e) {
            assumeTrue(false, "no kernel: " + e.getMessage());
            throw new IllegalStateException(e);
        }
        assumeTrue(k.vmlinux().isPresent(), "kernel " + k.describe() + " has no vmlinux (BTF): monitor tests skipped");
        return k;
    }

    /** A scheduler binary from the cache (built on first use). */
    static Path scheduler(ResolvedKernel k, String binary) throws SchedulerException {
        return SchedulerCatalog.system().find(binary, k, ProgressSink.SILENT).path();
    }

    /**
     * Boots {@code topology} with {@code schedulers} shipped, then attaches to its kernel from the host.
     *
     * @param cache where the per-build kallsyms cache lives
     */
    static RealGuest boot(Topology topology, List<String> schedulers, Path cache) throws Exception {
        EngineSelector.Choice engine = engine();
        ResolvedKernel k = kernel();
        List<String> includes = new ArrayList<>();
        for (String s : schedulers) {
            includes.add(scheduler(k, s).toString());
        }
        GuestVm vm = GuestLauncher.launch(new GuestLauncher.Request(topology, 0, k, Optional.empty(), includes,
                Map.of(), List.of(), GuestLauncher.bootTimeout(engine, topology), Duration.ofMinutes(15), false,
                false), engine);
        try {
            Vmlinux v = Vmlinux.open(k.vmlinux().get());
            long t0 = System.nanoTime();
            KernelSymbols syms = SymbolResolver.resolve(v, new KallsymsCache(cache), () -> kallsyms(vm.agent()));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            int hz = k.config().isPresent() ? KernelConfig.read(k.config().get()).hz().orElse(250) : 250;
            return new RealGuest(engine, k, vm, v, KernelView.attach(vm.vm().memory(), v, syms), hz, ms);
        } catch (Exception | Error e) {
            vm.close();
            throw e;
        }
    }

    static String kallsyms(GuestAgent agent) {
        try {
            return new String(agent.readFile("/proc/kallsyms", 0), StandardCharsets.US_ASCII);
        } catch (AgentException e) {
            throw new UncheckedIOException(new IOException("reading the guest's /proc/kallsyms: " + e.getMessage(), e));
        }
    }

    GuestAgent agent() {
        return vm.agent();
    }

    int cpus() {
        return view.nrCpuIds();
    }

    /** A monitor on this guest, or the test fails with the reason it is disabled. */
    Monitor monitor(MonitorConfig cfg) {
        MonitorAttach a = Monitor.attach(view, hz, cfg, vm.vm()::vcpuCpuTimeNs);
        if (a instanceof MonitorAttach.Disabled d) {
            throw new AssertionError(d.line());
        }
        return ((MonitorAttach.Ready) a).monitor();
    }

    /**
     * A launch of the shipped {@code binary} with {@code args}; {@code watchdog} applied the way the
     * product would for it ({@code mode} forces another way, e.g. the host override for the fixture).
     */
    static SchedulerLaunch launch(String binary, List<String> args, Optional<Duration> watchdog,
            Optional<SchedulerLaunch.WatchdogMode> mode) {
        BuildableScheduler b = BuildableScheduler.byBinary(binary).orElseThrow();
        SchedulerDefinition def = SchedulerDefinition.forBinary(b.opsName(), binary, List.of());
        var found = new SchedulerCatalog.Found(Path.of(binary), SchedulerCatalog.Origin.CACHE,
                mode.isPresent() ? Optional.empty() : Optional.of(b));
        SchedulerLaunch l = SchedulerLaunch.plan(def, found, args, List.of(), watchdog);
        return new SchedulerLaunch(l.opsName(), l.hostBinary(), SchedulerDefinition.GUEST_INCLUDE_DIR + "/" + binary,
                l.args(), l.env(), l.attachTimeout(), l.stopTimeout(), l.watchdog(), mode.orElse(l.watchdogMode()));
    }

    /** Spawns and starts {@code count} workers of {@code type}, each pinned to {@code cpuList} ("" = any). */
    int startWorkers(int type, int count, String cpuList) throws AgentException {
        int id = GROUPS.getAndIncrement();
        List<String> affinity = cpuList.isEmpty() ? List.of() : java.util.Collections.nCopies(count, cpuList);
        agent().spawnWorkers(new WorkerGroupSpec(id, "", type, List.of(), List.of(), List.of(), count, 0, 0, 0,
                affinity, 0, "", 0));
        agent().startWorkers(List.of(id));
        return id;
    }

    List<WorkerReport> stopWorkers(int... ids) throws AgentException {
        List<Integer> l = new ArrayList<>();
        for (int id : ids) {
            l.add(id);
        }
        return agent().stopWorkers(l, Duration.ofSeconds(20));
    }

    String consoleTail() {
        return vm.vm().console().tailText(30);
    }

    @Override
    public void close() {
        vm.close();
    }
}
