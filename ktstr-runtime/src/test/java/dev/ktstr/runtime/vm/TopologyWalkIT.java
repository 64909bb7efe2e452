package dev.ktstr.runtime.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ktstr.kvm.engine.EngineSelector;
import dev.ktstr.runtime.agent.ExecRequest;
import dev.ktstr.runtime.agent.ExecResult;
import dev.ktstr.runtime.kernel.ResolvedKernel;
import dev.ktstr.topology.CpuSet;
import dev.ktstr.topology.Preset;
import dev.ktstr.topology.Presets;
import dev.ktstr.topology.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every gauntlet preset that fits in 8 GiB of guest RAM boots with exactly its shape: the guest's
 * own sysfs shows the SMT siblings, the LLC each CPU shares, the NUMA node of each CPU and the node
 * distances the model says. Two guests boot at a time (single-threaded emulation uses one host CPU
 * each).
 *
 * <p>All 19 take about 4 minutes under TCG on a 2-core machine, most of it the eight 64- and
 * 128-vCPU guests, so a plain {@code mvn verify} walks the 11 presets of up to 32 CPUs (1 to 8 LLCs,
 * odd LLC counts, SMT on and off, 1, 2 and 4 NUMA nodes); {@code -Dktstr.walk=all} walks all 19,
 * {@code -Dktstr.walk.only=NAME} one.
 */
@Tag("vm")
class TopologyWalkIT {

    private static final String SCRIPT = String.join("\n",
            "for c in /sys/devices/system/cpu/cpu[0-9]*; do",
            "  n=${c##*cpu}",
            "  llc=$(cat $(ls -d $c/cache/index* | sort -V | tail -1)/shared_cpu_list)",
            "  node=$(basename $(ls -d $c/node* 2>/dev/null | head -1) 2>/dev/null)",
            "  echo \"cpu $n $(cat $c/topology/thread_siblings_list) $llc ${node:-node0}\"",
            "done",
            "for d in /sys/devices/system/node/node[0-9]*; do echo \"dist ${d##*node} $(cat $d/distance)\"; done");

    @Test
    void everyPresetThatFitsIn8GiBBootsWithItsExactShape() throws Exception {
        EngineSelector.Choice engine = VmTestSupport.engine();
        ResolvedKernel k = VmTestSupport.kernel();
        List<Preset> presets = Presets.X86_64.stream().filter(p -> p.memoryMb(0) <= 8192).toList();
        assertEquals(19, presets.size(), "presets that fit in 8 GiB");
        String only = System.getProperty("ktstr.walk.only", "");
        if (!only.isBlank()) {
            presets = presets.stream().filter(p -> p.name().equals(only)).toList();
        } else if (!System.getProperty("ktstr.walk", "").strip().equals("all")) {
            presets = presets.stream().filter(p -> p.topology().totalCpus() <= 32).toList();
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<String>> results = new ArrayList<>();
        for (Preset p : presets) {
            results.add(pool.submit(() -> walk(engine, k, p)));
        }
        pool.shutdown();
        List<String> problems = new ArrayList<>();
        for (Future<String> f : results) {
            String problem = f.get();
            if (!problem.isEmpty()) {
                problems.add(problem);
            }
        }
        assertEquals(List.of(), problems);
    }

    /** Boots the preset and compares what the guest sees with the model; "" when they agree. */
    private static String walk(EngineSelector.Choice engine, ResolvedKernel k, Preset p) throws Exception {
        Topology t = p.topology();
        GuestLauncher.Request req = new GuestLauncher.Request(t, p.memoryMb(0), k, java.util.Optional.empty(),
                List.of(), Map.of(), List.of(), GuestLauncher.bootTimeout(engine, t), Duration.ofMinutes(10), false,
                false);
        try (GuestVm vm = GuestLauncher.launch(req, engine)) {
            ExecResult r = vm.agent().exec(ExecRequest.shell(SCRIPT, Duration.ofMinutes(6)));
            if (!r.succeeded()) {
                return p.name() + ": script failed (exit " + r.exitCode() + ", signal " + r.termSignal() + ", timed out "
                        + r.timedOut() + " after " + r.wallNs() / 1_000_000 + " ms): " + r.stderrText().strip();
            }
            List<String> bad = new ArrayList<>();
            Map<Integer, String> seen = new HashMap<>();
            for (String line : r.stdoutText().lines().toList()) {
                String[] f = line.split(" ");
                if (f[0].equals("cpu")) {
                    int cpu = Integer.parseInt(f[1]);
                    seen.put(cpu, line);
                    check(bad, p, "cpu " + cpu + " SMT siblings", t.siblingsOf(cpu), CpuSet.parse(f[2]));
                    check(bad, p, "cpu " + cpu + " LLC", t.cpusOfLlc(t.llcOf(cpu)), CpuSet.parse(f[3]));
                    if (!f[4].equals("node" + t.nodeOf(cpu))) {
                        bad.add(p.name() + ": cpu " + cpu + " on " + f[4] + ", model says node" + t.nodeOf(cpu));
                    }
                } else if (f[0].equals("dist")) {
                    int node = Integer.parseInt(f[1]);
                    for (int j = 0; j < t.numaNodes(); j++) {
                        int want = t.distances().distance(node, j);
                        if (Integer.parseInt(f[2 + j]) != want) {
                            bad.add(p.name() + ": distance " + node + "->" + j + " is " + f[2 + j] + ", model " + want);
                        }
                    }
                }
            }
            if (seen.size() != t.totalCpus()) {
                bad.add(p.name() + ": guest sees " + seen.size() + " CPUs, model " + t.totalCpus());
            }
            return String.join("; ", bad);
        }
    }

    private static void check(List<String> bad, Preset p, String what, CpuSet want, CpuSet got) {
        if (!want.equals(got)) {
            bad.add(p.name() + ": " + what + " " + got + ", model " + want);
        }
    }
}
