package dev.ktstr.bench.agent;

import dev.ktstr.kvm.engine.EngineSelector;
import dev.ktstr.runtime.agent.GuestAgent;
import dev.ktstr.runtime.agent.WorkerGroupSpec;
import dev.ktstr.runtime.host.HostAgent;
import dev.ktstr.runtime.kernel.KernelProvisioner;
import dev.ktstr.runtime.kernel.ResolvedKernel;
import dev.ktstr.runtime.kernel.TerminalProgress;
import dev.ktstr.runtime.measure.WorkerReport;
import dev.ktstr.runtime.vm.GuestLauncher;
import dev.ktstr.runtime.vm.GuestVm;
import dev.ktstr.topology.Topology;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * "Reports for 256 workers are delivered in under 1 s", end to end as a test sees it: 256 CpuSpin
 * workers are spawned and started, run for a second, and one {@code W_STOP} request is timed from
 * the host's call to its decoded reply (signal, each worker's report, collection, reaping, the
 * reply's encoding, the channel, the Java decoder). Side by side in one run: (a) the agent as a
 * child process on this host (native, pipes) and (b) the agent in a real guest (its shared-memory
 * channel; under QEMU TCG every guest instruction is emulated, so (b) also shows what emulation
 * costs). Rounds alternate between the two; medians and the worst round are printed.
 *
 * <pre>java -cp 'ktstr-bench/target/classes:ktstr-bench/target/lib/*' dev.ktstr.bench.agent.StopReportsBench [rounds] [topology]</pre>
 * (defaults 5 rounds, {@code 1n1l4c1t}). Needs cgroup v2 on the host for (a) and a VM engine and
 * kernel for (b); a part that cannot run says why and the other still runs.
 */
public final class StopReportsBench {

    private static final int WORKERS = 256;
    private static final int CPU_SPIN = 1;

    private StopReportsBench() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Topology t = Topology.parse(args.length > 1 ? args[1] : "1n1l4c1t");
        HostAgent host = null;
        GuestVm vm = null;
        String hostWhy = "";
        String vmWhy = "";
        try {
            try {
                host = HostAgent.start(null);
            } catch (Exception e) {
                hostWhy = "native agent unavailable: " + e.getMessage();
            }
            EngineSelector.Choice engine = EngineSelector.fromServiceLoader().choose();
            if (engine.found()) {
                ResolvedKernel k = KernelProvisioner.ensureDefault(TerminalProgress.stderr());
                vm = GuestLauncher.launch(new GuestLauncher.Request(t, 1024, k, Optional.empty(), List.of(), Map.of(),
                        List.of(), GuestLauncher.bootTimeout(engine, t), Duration.ofMinutes(30), false, false), engine);
            } else {
                vmWhy = "no VM engine: " + engine.reason();
            }
            long[] native_ = new long[rounds];
            long[] guest = new long[rounds];
            int[] groups = {1};
            for (int i = -1; i < rounds; i++) { // round -1 warms up both sides (JIT, page cache)
                if (host != null) {
                    long ns = stopRound(host.agent(), groups[0]++);
                    if (i >= 0) {
                        native_[i] = ns;
                    }
                }
                if (vm != null) {
                    long ns = stopRound(vm.agent(), groups[0]++);
                    if (i >= 0) {
                        guest[i] = ns;
                    }
                }
            }
            System.out.printf("W_STOP of %d CpuSpin workers after 1 s of running, end to end (host call to decoded "
                    + "reply), %d rounds%n", WORKERS, rounds);
            System.out.printf("%-46s %10s %10s %10s%n", "", "median ms", "worst ms", "< 1 s");
            print("(a) native agent, this host (pipes)", host != null ? native_ : null, hostWhy);
            print("(b) guest agent, " + t.render() + (vm != null ? " " + vm.engineId() : "") + " (shm channel)",
                    vm != null ? guest : null, vmWhy);
        } finally {
            if (vm != null) {
                vm.close();
            }
            if (host != null) {
                host.close();
            }
        }
    }

    /** Spawns, starts and runs 256 spinners for a second, then times the stop. */
    private static long stopRound(GuestAgent agent, int groupId) throws Exception {
        WorkerGroupSpec spec = new WorkerGroupSpec(groupId, "", CPU_SPIN, List.of(), List.of(), List.of(), WORKERS, 0,
                0, 0, List.of(), 0, "", 0);
        agent.spawnWorkers(spec);
        agent.startWorkers(List.of(groupId));
        Thread.sleep(1000);
        long t0 = System.nanoTime();
        List<WorkerReport> reports = agent.stopWorkers(List.of(groupId), Duration.ofSeconds(30));
        long took = System.nanoTime() - t0;
        long ok = reports.stream().filter(WorkerReport::reported).count();
        if (reports.size() != WORKERS || ok != WORKERS) {
            throw new IllegalStateException(ok + " of " + WORKERS + " workers reported (" + reports.size() + " reports)");
        }
        return took;
    }

    private static void print(String label, long[] ns, String why) {
        if (ns == null) {
            System.out.printf("%-46s %s%n", label, why);
            return;
        }
        long[] sorted = ns.clone();
        Arrays.sort(sorted);
        long worst = sorted[sorted.length - 1];
        System.out.printf("%-46s %10.1f %10.1f %10s%n", label, sorted[sorted.length / 2] / 1e6, worst / 1e6,
                worst < 1_000_000_000L ? "yes" : "no");
    }
}
