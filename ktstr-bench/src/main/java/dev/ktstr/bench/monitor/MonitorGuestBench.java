package dev.ktstr.bench.monitor;

import dev.ktstr.bench.Machine;
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
import dev.ktstr.runtime.kernel.KernelProvisioner;
import dev.ktstr.runtime.kernel.ResolvedKernel;
import dev.ktstr.runtime.kernel.TerminalProgress;
import dev.ktstr.runtime.measure.WorkerReport;
import dev.ktstr.runtime.monitor.Monitor;
import dev.ktstr.runtime.monitor.MonitorAttach;
import dev.ktstr.runtime.monitor.MonitorConfig;
import dev.ktstr.runtime.result.MonitorSummary;
import dev.ktstr.runtime.sched.SchedulerCatalog;
import dev.ktstr.runtime.sched.SchedulerException;
import dev.ktstr.runtime.vm.GuestLauncher;
import dev.ktstr.runtime.vm.GuestVm;
import dev.ktstr.topology.Topology;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * "The monitor costs the guest nothing measurable", measured on a real guest: one guest (16 vCPUs by
 * default) runs one CpuSpin worker per CPU in rounds of a few seconds, with the host-side monitor
 * sampling every 100 ms in every other round and off in the rest (order ABBA, so a slow drift of the
 * shared host cancels), under the kernel's default scheduler or scx_simple when the scheduler cache
 * has it (the monitor then also reads the sched_ext event counters). Printed side by side: the
 * workers' iterations per second with the monitor off and on, their difference with the spread of
 * the off rounds for scale, and the host CPU the monitor thread used per sample and as a share of one
 * core on this real guest.
 *
 * <p>Run from the repository root, after {@code mvn -pl ktstr-bench -am package -DskipTests}:
 * {@code java -cp 'ktstr-bench/target/classes:ktstr-bench/target/lib/*'
 * dev.ktstr.bench.monitor.MonitorGuestBench [rounds] [round-ms] [topology] [eevdf|scx_simple]}
 * (defaults 12, 4000, {@code 1,2,4,2}, scx_simple).
 */
public final class MonitorGuestBench {

    private static final int KW_CPU_SPIN = 1;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static int nextGroup = 1;

    private MonitorGuestBench() {}

    /**
     * One round's outcome.
     *
     * @param iterationsPerSec     the workers' iterations per second of their wall time, summed
     * @param iterationsPerVcpuSec iterations per second of host CPU time the vCPU thread(s) got: the
     *                             guest's work per unit of host CPU, which the host's load does not move
     */
    private record Round(int index, boolean monitored, double iterationsPerSec, double iterationsPerVcpuSec,
            long samples, long monitorCpuNs, long wallNs) {}

    /** What the workers of one round did. */
    private record Work(double perSec, double perVcpuSec) {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 12;
        long roundMs = args.length > 1 ? Long.parseLong(args[1]) : 4000;
        Topology topology = Topology.parse(args.length > 2 ? args[2] : "1,2,4,2");
        String scheduler = args.length > 3 ? args[3] : "scx_simple";
        if (rounds < 4 || rounds % 4 != 0) {
            throw new IllegalArgumentException("rounds must be a positive multiple of 4 (ABBA), got " + rounds);
        }
        EngineSelector.Choice engine = EngineSelector.fromServiceLoader().choose();
        if (!engine.found()) {
            System.out.println("MonitorGuestBench needs a VM engine: " + engine.reason());
            return;
        }
        ResolvedKernel k = KernelProvisioner.ensureDefault(TerminalProgress.stderr());
        if (k.vmlinux().isEmpty()) {
            System.out.println("MonitorGuestBench needs the kernel's vmlinux (BTF): " + k.describe());
            return;
        }
        Optional<String> schedBinary = Optional.empty();
        if (!scheduler.equals("eevdf")) {
            try {
                schedBinary = Optional.of(SchedulerCatalog.system().find(scheduler, k, TerminalProgress.stderr())
                        .path().toString());
            } catch (SchedulerException e) {
                System.err.println("MonitorGuestBench: " + scheduler + " unavailable, using the kernel's scheduler: "
                        + e.getMessage());
            }
        }
        GuestLauncher.Request req = new GuestLauncher.Request(topology, 0, k, Optional.empty(),
                schedBinary.map(List::of).orElse(List.of()), Map.of(), List.of(),
                GuestLauncher.bootTimeout(engine, topology), Duration.ofMinutes(30), false, false);
        long b0 = System.nanoTime();
        try (GuestVm vm = GuestLauncher.launch(req, engine)) {
            long bootMs = (System.nanoTime() - b0) / 1_000_000;
            Vmlinux v = Vmlinux.open(k.vmlinux().get());
            KernelSymbols syms = SymbolResolver.resolve(v, new KallsymsCache(KallsymsCache.defaultDir()),
                    () -> kallsyms(vm.agent()));
            KernelView view = KernelView.attach(vm.vm().memory(), v, syms);
            int hz = k.config().isPresent() ? KernelConfig.read(k.config().get()).hz().orElse(250) : 250;
            String schedName = "eevdf";
            if (schedBinary.isPresent()) {
                String name = schedBinary.get().substring(schedBinary.get().lastIndexOf('/') + 1);
                var st = vm.agent().startScheduler("/include-files/" + name, List.of(), List.of(), "",
                        Duration.ofSeconds(60));
                if (!st.attached()) {
                    throw new IllegalStateException(name + " did not attach: " + st.outputText());
                }
                schedName = st.state().ops();
            }
            int cpus = topology.totalCpus();
            // Warm-up round: first fork of the worker binary, page cache, JIT of this loop.
            runRound(vm, cpus, Math.min(roundMs, 2000));
            List<Round> out = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                boolean on = (i % 4 == 1) || (i % 4 == 2); // off, on, on, off
                out.add(round(i, on, vm, view, hz, cpus, roundMs));
            }
            print(out, topology, cpus, schedName, vm.engineId(), bootMs, roundMs);
        }
    }

    private static String kallsyms(GuestAgent agent) {
        try {
            return new String(agent.readFile("/proc/kallsyms", 0), StandardCharsets.US_ASCII);
        } catch (AgentException e) {
            throw new IllegalStateException("reading the guest's /proc/kallsyms: " + e.getMessage(), e);
        }
    }

    private static Round round(int index, boolean on, GuestVm vm, KernelView view, int hz, int cpus, long roundMs)
            throws Exception {
        if (!on) {
            long t0 = System.nanoTime();
            Work w = runRound(vm, cpus, roundMs);
            return new Round(index, false, w.perSec(), w.perVcpuSec(), 0, 0, System.nanoTime() - t0);
        }
        MonitorAttach a = Monitor.attach(view, hz, MonitorConfig.defaults(), vm.vm()::vcpuCpuTimeNs);
        if (!(a instanceof MonitorAttach.Ready ready)) {
            throw new IllegalStateException(((MonitorAttach.Disabled) a).line());
        }
        try (Monitor m = ready.monitor()) {
            m.start();
            Thread t = Thread.getAllStackTraces().keySet().stream().filter(x -> x.getName().equals("ktstr-monitor"))
                    .findFirst().orElseThrow();
            long c0 = THREADS.getThreadCpuTime(t.getId());
            long t0 = System.nanoTime();
            Work w = runRound(vm, cpus, roundMs);
            long c1 = THREADS.getThreadCpuTime(t.getId());
            long wall = System.nanoTime() - t0;
            m.stop();
            MonitorSummary s = m.summary(List.of());
            return new Round(index, true, w.perSec(), w.perVcpuSec(), s.samples(), c1 - c0, wall);
        }
    }

    /** One CpuSpin worker per CPU for {@code ms}: their iterations per wall second and per vCPU-thread second. */
    private static Work runRound(GuestVm vm, int cpus, long ms) throws Exception {
        GuestAgent agent = vm.agent();
        int id = nextGroup++;
        agent.spawnWorkers(new WorkerGroupSpec(id, "", KW_CPU_SPIN, List.of(), List.of(), List.of(), cpus, 0, 0, 0,
                List.of(), 0, "", 0));
        long v0 = sum(vm.vm().vcpuCpuTimeNs());
        agent.startWorkers(List.of(id));
        Thread.sleep(ms);
        List<WorkerReport> reports = agent.stopWorkers(List.of(id), Duration.ofSeconds(60));
        long v1 = sum(vm.vm().vcpuCpuTimeNs());
        double perSec = 0;
        long units = 0;
        for (WorkerReport r : reports) {
            perSec += r.wallTimeNs() == 0 ? 0 : r.workUnits() * 1e9 / r.wallTimeNs();
            units += r.workUnits();
        }
        return new Work(perSec, v1 > v0 ? units * 1e9 / (v1 - v0) : 0);
    }

    private static long sum(long[] v) {
        long s = 0;
        for (long x : v) {
            s += x;
        }
        return s;
    }

    private static void print(List<Round> rounds, Topology t, int cpus, String sched, String engine, long bootMs,
            long roundMs) {
        System.out.printf(Locale.ROOT, "Monitor overhead on a real guest: %s (%d vCPUs), %s, %s, boot %d ms, %d rounds of"
                + " %d ms, one CpuSpin worker per CPU; load %s%n", t.render(), cpus, engine, sched, bootMs, rounds.size(),
                roundMs, Machine.loadAverage());
        System.out.printf(Locale.ROOT, "%-6s %-8s %16s %20s %8s %16s %12s%n", "round", "monitor", "iterations/s",
                "iterations/vCPU-s", "samples", "CPU µs/sample", "% of a core");
        for (Round r : rounds) {
            System.out.printf(Locale.ROOT, "%-6d %-8s %16.0f %20.0f %8s %16s %12s%n", r.index(),
                    r.monitored() ? "on" : "off", r.iterationsPerSec(), r.iterationsPerVcpuSec(),
                    r.monitored() ? Long.toString(r.samples()) : "",
                    r.monitored() ? String.format(Locale.ROOT, "%.1f", r.monitorCpuNs() / 1000.0 / r.samples()) : "",
                    r.monitored() ? String.format(Locale.ROOT, "%.3f", 100.0 * r.monitorCpuNs() / r.wallNs()) : "");
        }
        compare("iterations per wall second", rounds, Round::iterationsPerSec);
        compare("iterations per host CPU second of the vCPU thread(s), i.e. per unit of host CPU the guest got",
                rounds, Round::iterationsPerVcpuSec);
        long cpuNs = rounds.stream().filter(Round::monitored).mapToLong(Round::monitorCpuNs).sum();
        long samples = rounds.stream().filter(Round::monitored).mapToLong(Round::samples).sum();
        long wall = rounds.stream().filter(Round::monitored).mapToLong(Round::wallNs).sum();
        System.out.printf(Locale.ROOT, "monitor thread: %.1f µs of host CPU per sample of %d vCPUs, %.3f %% of one core "
                + "at 100 ms (target < 2 %%)%n", cpuNs / 1000.0 / Math.max(1, samples), cpus, 100.0 * cpuNs / wall);
    }

    /** Monitor on against off for one figure: means, spread between rounds, and per ABBA block. */
    private static void compare(String what, List<Round> rounds, java.util.function.ToDoubleFunction<Round> f) {
        double[] off = rounds.stream().filter(r -> !r.monitored()).mapToDouble(f).toArray();
        double[] on = rounds.stream().filter(Round::monitored).mapToDouble(f).toArray();
        double offMean = mean(off);
        double onMean = mean(on);
        List<String> paired = new ArrayList<>();
        for (int b = 0; b + 3 < rounds.size(); b += 4) {
            double bo = (f.applyAsDouble(rounds.get(b)) + f.applyAsDouble(rounds.get(b + 3))) / 2;
            double bn = (f.applyAsDouble(rounds.get(b + 1)) + f.applyAsDouble(rounds.get(b + 2))) / 2;
            paired.add(String.format(Locale.ROOT, "%+.2f %%", 100 * (bn - bo) / bo));
        }
        System.out.printf(Locale.ROOT, "%n%s:%n", what);
        System.out.printf(Locale.ROOT, "  off %.0f, on %.0f (means of %d rounds each; spread between rounds: off %.2f %%, "
                + "on %.2f %%)%n", offMean, onMean, off.length, 100 * stddev(off) / offMean, 100 * stddev(on) / onMean);
        System.out.printf(Locale.ROOT, "  on - off: %+.2f %%; per ABBA block: %s%n", 100 * (onMean - offMean) / offMean,
                String.join(", ", paired));
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return v.length == 0 ? 0 : s / v.length;
    }

    private static double stddev(double[] v) {
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return v.length < 2 ? 0 : Math.sqrt(s / (v.length - 1));
    }
}
