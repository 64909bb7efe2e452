package dev.ktstr.runtime.host;

import dev.ktstr.topology.CpuSet;
import dev.ktstr.topology.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The host's CPU shape read from sysfs, as a {@link Topology} when the host numbers its CPUs the way
 * the model does (SMT siblings adjacent, LLCs contiguous, equal sizes); otherwise a flat shape of
 * all CPUs in one LLC, with {@link #note()} saying why, so cpusets still resolve to real CPUs.
 */
public record HostTopology(Topology topology, String note) {

    public static HostTopology read() {
        return read(Path.of("/sys/devices/system"));
    }

    public static HostTopology read(Path sys) {
        Path cpuDir = sys.resolve("cpu");
        CpuSet online;
        try {
            online = CpuSet.parse(Files.readString(cpuDir.resolve("online")).trim());
        } catch (IOException e) {
            int n = Runtime.getRuntime().availableProcessors();
            return new HostTopology(Topology.of(1, n, 1), "cannot read " + cpuDir + "/online: " + e.getMessage());
        }
        int cpus = online.size();
        Topology flat = Topology.of(1, cpus, 1);
        if (online.limit() != cpus) {
            return new HostTopology(flat, "online CPUs " + online + " are not contiguous from 0");
        }
        try {
            Set<CpuSet> llcs = new HashSet<>();
            Set<CpuSet> cores = new HashSet<>();
            for (int c = 0; c < cpus; c++) {
                Path cpu = cpuDir.resolve("cpu" + c);
                cores.add(CpuSet.parse(Files.readString(cpu.resolve("topology/thread_siblings_list")).trim()));
                llcs.add(lastLevelCache(cpu).orElse(online));
            }
            int nodes = countNodes(sys.resolve("node"));
            int threads = cpus / cores.size();
            int perLlc = cpus / llcs.size();
            Topology t = new Topology(nodes, llcs.size(), perLlc / threads, threads);
            for (int c = 0; c < cpus; c++) {
                if (!llcs.contains(t.cpusOfLlc(t.llcOf(c))) || !cores.contains(t.siblingsOf(c))) {
                    return new HostTopology(flat, "host CPU numbering differs from the model's (siblings adjacent, "
                            + "LLCs contiguous): treated as one LLC of " + cpus + " CPUs");
                }
            }
            return new HostTopology(t, "");
        } catch (IOException | IllegalArgumentException e) {
            return new HostTopology(flat, "cannot read the host topology: " + e.getMessage());
        }
    }

    private static java.util.Optional<CpuSet> lastLevelCache(Path cpu) throws IOException {
        Path caches = cpu.resolve("cache");
        if (!Files.isDirectory(caches)) {
            return java.util.Optional.empty();
        }
        int best = -1;
        CpuSet shared = null;
        try (Stream<Path> s = Files.list(caches)) {
            for (Path idx : (Iterable<Path>) s::iterator) {
                if (!idx.getFileName().toString().startsWith("index")) {
                    continue;
                }
                int level = Integer.parseInt(Files.readString(idx.resolve("level")).trim());
                if (level > best) {
                    best = level;
                    shared = CpuSet.parse(Files.readString(idx.resolve("shared_cpu_list")).trim());
                }
            }
        }
        return java.util.Optional.ofNullable(shared);
    }

    private static int countNodes(Path nodeDir) throws IOException {
        if (!Files.isDirectory(nodeDir)) {
            return 1;
        }
        try (Stream<Path> s = Files.list(nodeDir)) {
            return (int) Math.max(1, s.filter(p -> p.getFileName().toString().matches("node\\d+")).count());
        }
    }
}
