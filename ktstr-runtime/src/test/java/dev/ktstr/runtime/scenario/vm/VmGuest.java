package dev.ktstr.runtime.scenario.vm;


import dev.ktstr.kvm.engine.EngineSelector;
import dev.ktstr.runtime.agent.AgentException;
import dev.ktstr.runtime.agent.GuestAgent;
import dev.ktstr.runtime.agent.WorkerGroupSpec;
import dev.ktstr.runtime.kernel.ResolvedKernel;
import dev.ktstr.runtime.measure.WorkerReport;
import dev.ktstr.runtime.scenario.SchedPolicy;
import dev.ktstr.runtime.scenario.Work;
import dev.ktstr.runtime.scenario.WorkType;
import dev.ktstr.runtime.scenario.WorkerSpecs;
import dev.ktstr.runtime.vm.BootException;
import dev.ktstr.runtime.vm.GuestLauncher;
import dev.ktstr.runtime.vm.GuestVm;
import dev.ktstr.runtime.vm.VmTestSupport;
import dev.ktstr.topology.CpuSet;
import dev.ktstr.topology.Topology;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One booted guest shared by the tests of a class, and the worker-group plumbing they use: build a
 * group spec from the scenario DSL's {@link Work}, run groups for a window that lies inside every
 * worker's loop, read a worker's {@code /proc} files, and print reports for assertion messages.
 * A host without a VM engine or kernel skips the tests with the reason.
 */
final class VmGuest implements AutoCloseable {

    private final AtomicInteger groupIds = new AtomicInteger(1);
    final GuestVm vm;
    final Topology topology;

    private VmGuest(GuestVm vm, Topology topology) {
        this.vm = vm;
        this.topology = topology;
    }

    /** The engine of this host, or the test is skipped saying why there is none. */
    static EngineSelector.Choice engine() {
        return VmTestSupport.engine();
    }

    /** The default kernel, or the test is skipped saying why there is none. */
    static ResolvedKernel kernel() {
        return VmTestSupport.kernel();
    }

    /** Boots a guest of this shape with these host files shipped to {@code /include-files}. */
    static VmGuest boot(Topology t, List<String> includes) throws BootException {
        EngineSelector.Choice engine = engine();
        ResolvedKernel k = kernel();
        GuestLauncher.Request req = new GuestLauncher.Request(t, 0, k, Optional.empty(), includes, Map.of(), List.of(),
                GuestLauncher.bootTimeout(engine, t), Duration.ofMinutes(20), false, false);
        return new VmGuest(GuestLauncher.launch(req, engine), t);
    }

    GuestAgent agent() {
        return vm.agent();
    }

    /** A group of {@code count} workers of {@code type} in the agent's root cgroup. */
    WorkerGroupSpec spec(WorkType type, int count) {
        return spec(Work.of(type), count, List.of());
    }

    /** A group of {@code count} workers of {@code work}, each pinned to its CPU set ({@code affinity} empty: inherit). */
    WorkerGroupSpec spec(Work work, int count, List<CpuSet> affinity) {
        return WorkerSpecs.build(groupIds.getAndIncrement(), "", work, work.type(), count, affinity,
                p -> p.toString());
    }

    /** Every one of {@code count} workers on {@code cpu}. */
    static List<CpuSet> pinned(int count, int cpu) {
        List<CpuSet> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(CpuSet.of(cpu));
        }
        return out;
    }

    static Work work(WorkType type, SchedPolicy policy) {
        return Work.of(type).withPolicy(policy);
    }

    /**
     * What a run of groups produced: the reports per group, in the order the specs were given.
     *
     * @param stopNanos  how long the stop request took (signal, reports, reaping)
     */
    record Run(List<List<WorkerReport>> groups, List<List<Integer>> pids, long stopNanos) {
        List<WorkerReport> group(int i) {
            return groups.get(i);
        }

        List<WorkerReport> all() {
            return groups.stream().flatMap(List::stream).toList();
        }
    }

    /** Something to do while the workers run (sample their /proc files, disturb them). */
    @FunctionalInterface
    interface During {
        /**
         * @param pids      the workers' pids per group, in the order the specs were given
         * @param groupIds  the groups' ids, in that order
         */
        void run(List<List<Integer>> pids, List<Integer> groupIds) throws Exception;
    }

    /** Spawns and starts the groups, holds {@code hold} once every framework worker iterates, stops them. */
    Run run(Duration hold, WorkerGroupSpec... specs) throws Exception {
        return run(hold, (pids, ids) -> { }, specs);
    }

    /**
     * Spawns the groups (blocked at their gate), starts them together, waits (up to 30 s: the guest is
     * emulated and the host shared) until every framework worker has finished an iteration, holds
     * {@code hold} while {@code during} runs, then stops them all with a 20 s report deadline.
     */
    Run run(Duration hold, During during, WorkerGroupSpec... specs) throws Exception {
        List<Integer> ids = new ArrayList<>();
        List<List<Integer>> pids = new ArrayList<>();
        for (WorkerGroupSpec s : specs) {
            pids.add(agent().spawnWorkers(s));
            ids.add(s.groupId());
        }
        agent().startWorkers(ids);
        // Custom programs have no iteration counter
        List<Integer> framework = Arrays.stream(specs).filter(s -> s.customArgv().isEmpty())
                .map(WorkerGroupSpec::groupId).toList();
        awaitIterating(framework, Duration.ofSeconds(30));
        long end = System.nanoTime() + hold.toNanos();
        during.run(pids, ids);
        long left = end - System.nanoTime();
        if (left > 0) {
            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
        }
        long stopStart = System.nanoTime();
        List<WorkerReport> reports = agent().stopWorkers(ids, Duration.ofSeconds(20));
        long stopNanos = System.nanoTime() - stopStart;
        List<List<WorkerReport>> groups = new ArrayList<>();
        for (WorkerGroupSpec s : specs) {
            groups.add(reports.stream().filter(r -> r.groupId() == s.groupId()).toList());
        }
        return new Run(groups, pids, stopNanos);
    }

    private void awaitIterating(List<Integer> ids, Duration limit) throws AgentException, InterruptedException {
        if (ids.isEmpty()) {
            return;
        }
        long until = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < until) {
            if (Arrays.stream(agent().iterations(ids)).allMatch(v -> v > 0)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("workers of groups " + ids + " did not all iterate within " + limit.toSeconds()
                + " s: " + Arrays.toString(agent().iterations(ids)));
    }

    /** Field {@code n} (1-based, as in proc(5)) of {@code /proc/<pid>/stat}. */
    String statField(int pid, int n) throws AgentException {
        String stat = new String(agent().readFile("/proc/" + pid + "/stat", 4096), StandardCharsets.UTF_8).strip();
        String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return rest[n - 3];
    }

    /** One line per report with everything an assertion message may need. */
    static String describe(List<WorkerReport> rs) {
        StringBuilder sb = new StringBuilder();
        for (WorkerReport r : rs) {
            sb.append(String.format(Locale.ROOT,
                    "%n  [%d.%d pid %d] %s%s units=%d it=%d cpu=%.1fms wall=%.1fms off=%.1fms delay=%.1fms runs=%d "
                            + "vcs=%d ics=%d lat(n=%d min=%.1fus mean=%.1fus max=%.1fus) mig=%d cpus=%s gap=%.1fms "
                            + "children=%d",
                    r.groupId(), r.index(), r.pid(), r.exitKind(), r.messenger() ? " messenger" : "", r.workUnits(),
                    r.iterations(), r.cpuTimeNs() / 1e6, r.wallTimeNs() / 1e6, r.offCpuNs() / 1e6,
                    r.schedstatRunDelayNs() / 1e6, r.schedstatRunCount(), r.voluntarySwitches(),
                    r.involuntarySwitches(), r.wakeLatency().count(), r.wakeLatency().minNs() / 1e3,
                    r.wakeLatency().meanNs() / 1e3, r.wakeLatency().maxNs() / 1e3, r.migrationCount(), r.cpusUsed(),
                    r.maxGapNs() / 1e6, r.children()));
        }
        return sb.toString();
    }

    @Override
    public void close() {
        vm.close();
    }
}
