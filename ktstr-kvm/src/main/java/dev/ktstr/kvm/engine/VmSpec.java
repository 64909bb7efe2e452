package dev.ktstr.kvm.engine;

import dev.ktstr.topology.NumaDistances;
import dev.ktstr.topology.Topology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything an engine needs to boot one VM.
 *
 * @param topology         exact CPU shape (sockets/LLCs, cores, SMT threads, NUMA nodes)
 * @param distances        NUMA distance matrix (SLIT)
 * @param memoryMb         guest RAM, split evenly across NUMA nodes (remainder to the last)
 * @param kernel           the kernel image
 * @param initramfs        initramfs pieces, concatenated in order (each a complete, optionally
 *                         compressed cpio archive: the kernel unpacks them one after the other)
 * @param cmdline          guest kernel command line; the engine appends its own console and
 *                         agent-region arguments
 * @param agentRegionBytes size of the shared host/guest region for the agent channel (0 for none);
 *                         the engine reserves it in guest RAM and appends
 *                         {@code ktstr.shm=<gpa>,<size>} to the command line
 * @param watchdog         how long the VM may run before the engine stops it ({@link VmExit.TimedOut})
 * @param workDir          a private directory the engine may use for sockets and files; the caller
 *                         deletes it after {@link RunningVm#close()}
 * @param performanceMode  pin vCPUs and use host isolation where the engine supports it
 */
public record VmSpec(
        Topology topology,
        NumaDistances distances,
        long memoryMb,
        KernelImage kernel,
        List<InitramfsPart> initramfs,
        String cmdline,
        long agentRegionBytes,
        Duration watchdog,
        Path workDir,
        boolean performanceMode) {

    public VmSpec {
        Objects.requireNonNull(topology, "topology");
        Objects.requireNonNull(distances, "distances");
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(cmdline, "cmdline");
        Objects.requireNonNull(watchdog, "watchdog");
        Objects.requireNonNull(workDir, "workDir");
        initramfs = List.copyOf(initramfs);
        if (distances.nodes() != topology.numaNodes()) {
            throw new IllegalArgumentException("distance matrix has " + distances.nodes() + " nodes, topology "
                    + topology.numaNodes());
        }
        if (memoryMb < 64) {
            throw new IllegalArgumentException("guest memory must be at least 64 MiB, got " + memoryMb);
        }
        if (agentRegionBytes < 0 || agentRegionBytes % 4096 != 0) {
            throw new IllegalArgumentException("agent region must be a non-negative multiple of 4096, got "
                    + agentRegionBytes);
        }
    }

    /** Memory of node {@code node} in MiB: an even split, the remainder on the last node. */
    public long nodeMemoryMb(int node) {
        int n = topology.numaNodes();
        long base = memoryMb / n;
        return node == n - 1 ? memoryMb - base * (n - 1) : base;
    }
}
