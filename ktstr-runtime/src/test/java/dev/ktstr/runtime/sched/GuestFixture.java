package dev.ktstr.runtime.sched;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ktstr.kvm.engine.EngineSelector;
import dev.ktstr.runtime.agent.AgentException;
import dev.ktstr.runtime.agent.GuestAgent;
import dev.ktstr.runtime.agent.WorkerGroupSpec;
import dev.ktstr.runtime.kernel.KernelException;
import dev.ktstr.runtime.kernel.KernelProvisioner;
import dev.ktstr.runtime.kernel.ProgressSink;
import dev.ktstr.runtime.kernel.ResolvedKernel;
import dev.ktstr.runtime.measure.WorkerReport;
import dev.ktstr.runtime.vm.BootException;
import dev.ktstr.runtime.vm.GuestLauncher;
import dev.ktstr.runtime.vm.GuestVm;
import dev.ktstr.topology.Topology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the scheduler VM tests share: an engine and a kernel (or a skip naming what is missing), the
 * scheduler catalog (which builds the schedulers on first use), booting a guest with binaries shipped
 * to {@code /include-files}, and a CPU load of the agent's own workers.
 */
final class GuestFixture {

    /** Work type ids of {@code ktstr_work.h}. */
    static final int KW_CPU_SPIN = 1;
    static final int KW_MIXED = 3;
    static final int KW_BURSTY = 5;
    private static final AtomicInteger GROUPS = new AtomicInteger(1);

    final EngineSelector.Choice engine;
    final ResolvedKernel kernel;
    final SchedulerCatalog catalog;

    private GuestFixture(EngineSelector.Choice engine, ResolvedKernel kernel, SchedulerCatalog catalog) {
        this.engine = engine;
        this.kernel = kernel;
        this.catalog = catalog;
    }

    /** The engine and kernel of this machine, or a skipped test saying which is missing. */
    static GuestFixture require() {
        EngineSelector.Choice engine = EngineSelector.fromServiceLoader().choose();
        assumeTrue(engine.found(), "no VM engine: " + engine.reason());
        ResolvedKernel kernel;
        try {
            kernel = KernelProvisioner.ensureDefault(ProgressSink.SILENT);
        } catch (KernelException e) {
            assumeTrue(false, "no kernel: " + e.getMessage());
            throw new IllegalStateException(e);
        }
        assumeTrue(kernel.vmlinux().isPresent(), "kernel " + kernel.describe() + " has no vmlinux (BTF)");
        return new GuestFixture(engine, kernel, SchedulerCatalog.system());
    }

    /** Finds (building on first use) a scheduler or tool binary. */
    Path binary(String name) throws SchedulerException {
        return catalog.find(name, kernel, progress()).path();
    }

    static ProgressSink progress() {
        return new ProgressSink() {
            @Override
            public void stage(String message) {
                System.err.println("ktstr: " + message);
            }

            @Override
            public void warning(String message) {
                System.err.println("ktstr: warning: " + message);
            }

            @Override
            public Transfer transfer(String label, long totalBytes) {
                return ProgressSink.SILENT.transfer(label, totalBytes);
            }
        };
    }

    /** Boots {@code topology} with {@code includes} at {@code /include-files/<name>}. */
    GuestVm boot(Topology topology, List<Path> includes) throws BootException {
        var req = new GuestLauncher.Request(topology, 0, kernel, Optional.empty(),
                includes.stream().map(Path::toString).toList(), Map.of(), List.of(),
                GuestLauncher.bootTimeout(engine, topology), Duration.ofMinutes(15), false, false);
        return GuestLauncher.launch(req, engine);
    }

    /** A launch of a shipped binary in {@code /include-files}. */
    static SchedulerLaunch launch(String binary, List<String> args, Optional<Duration> watchdog) {
        BuildableScheduler b = BuildableScheduler.byBinary(binary).orElseThrow();
        SchedulerDefinition def = SchedulerDefinition.forBinary(b.opsName(), binary, List.of());
        var found = new SchedulerCatalog.Found(Path.of(binary), SchedulerCatalog.Origin.CACHE, Optional.of(b));
        SchedulerLaunch l = SchedulerLaunch.plan(def, found, args, List.of(), watchdog);
        return new SchedulerLaunch(l.opsName(), l.hostBinary(), "/include-files/" + binary, l.args(), l.env(),
                l.attachTimeout(), l.stopTimeout(), l.watchdog(), l.watchdogMode());
    }

    /**
     * Runs {@code count} workers of {@code type} in the agent's root cgroup for {@code duration} and
     * returns their reports.
     */
    static List<WorkerReport> load(GuestAgent agent, int type, int count, Duration duration)
            throws AgentException, InterruptedException {
        return load(agent, Map.of(type, count), duration);
    }

    /** Several groups at once ({@code type -> count}), started together; reports in group order. */
    static List<WorkerReport> load(GuestAgent agent, Map<Integer, Integer> groups, Duration duration)
            throws AgentException, InterruptedException {
        List<Integer> ids = startLoad(agent, groups);
        Thread.sleep(duration.toMillis());
        return agent.stopWorkers(ids, Duration.ofSeconds(20));
    }

    /** Spawns and starts the groups ({@code type -> count}); the caller stops them by the returned ids. */
    static List<Integer> startLoad(GuestAgent agent, Map<Integer, Integer> groups) throws AgentException {
        List<Integer> ids = new java.util.ArrayList<>();
        for (var g : new java.util.TreeMap<>(groups).entrySet()) {
            int id = GROUPS.getAndIncrement();
            agent.spawnWorkers(new WorkerGroupSpec(id, "", g.getKey(), List.of(), List.of(), List.of(), g.getValue(),
                    0, 0, 0, List.of(), 0, "", 0));
            ids.add(id);
        }
        agent.startWorkers(ids);
        return ids;
    }

    /** Off-CPU share spread across workers in percent points (the Unfair check's measure, facts §8). */
    static double offCpuSpreadPct(List<WorkerReport> reports) {
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (WorkerReport r : reports) {
            double pct = r.wallTimeNs() == 0 ? 0 : 100.0 * r.offCpuNs() / r.wallTimeNs();
            min = Math.min(min, pct);
            max = Math.max(max, pct);
        }
        return reports.isEmpty() ? 0 : max - min;
    }

    static String topologyName(Topology t) {
        return t.render();
    }
}
