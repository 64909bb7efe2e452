package dev.ktstr.kvm.vmm;

import dev.ktstr.kvm.vmm.acpi.AcpiTables;
import dev.ktstr.kvm.vmm.kvm.CpuidEntry;
import dev.ktstr.kvm.vmm.kvm.Kvm;
import dev.ktstr.kvm.vmm.kvm.KvmException;
import dev.ktstr.kvm.vmm.kvm.VcpuFd;
import dev.ktstr.kvm.vmm.kvm.VmFd;
import dev.ktstr.kvm.vmm.memory.GuestBlob;
import dev.ktstr.kvm.vmm.memory.MemoryLayout;
import dev.ktstr.kvm.vmm.sys.NativeCallException;
import dev.ktstr.kvm.vmm.x86.CpuidTopology;
import dev.ktstr.kvm.vmm.x86.LowMemory;
import dev.ktstr.topology.NumaDistances;
import dev.ktstr.topology.Topology;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Writes the firmware a VM of a given topology would see, for inspection with standard tools: one
 * {@code <SIGNATURE>.dat} per ACPI table (the raw table, as {@code acpidump -b} would produce, ready
 * for {@code iasl -d}) and {@code cpuid.txt} with every CPUID leaf of every vCPU. CPUID is built over
 * this host's {@code KVM_GET_SUPPORTED_CPUID}; without {@code /dev/kvm} only the leaves the VMM itself
 * synthesises are shown, and the summary says so.
 */
public final class FirmwareDump {

    /** What was written. */
    public record Result(List<Path> tables, Path cpuidSummary, String cpuidBase) {
        public Result {
            tables = List.copyOf(tables);
        }
    }

    private FirmwareDump() {}

    /** {@code topology} with default NUMA distances and the gauntlet's memory rule (64 MiB per CPU, at least 256). */
    public static Result write(Topology topology, Path outDir) throws IOException {
        long memoryMb = Math.max(256, topology.totalCpus() * 64L);
        return write(topology, topology.distances(), memoryMb, outDir);
    }

    public static Result write(Topology topology, NumaDistances distances, long memoryMb, Path outDir)
            throws IOException {
        Files.createDirectories(outDir);
        long[] nodeBytes = new long[topology.numaNodes()];
        long base = memoryMb / topology.numaNodes();
        for (int n = 0; n < nodeBytes.length; n++) {
            long mb = n == nodeBytes.length - 1 ? memoryMb - base * (nodeBytes.length - 1) : base;
            nodeBytes[n] = mb << 20;
        }
        MemoryLayout layout = MemoryLayout.of(nodeBytes, 0);
        AcpiTables acpi = AcpiTables.build(topology, distances, layout, LowMemory.ACPI_BASE);
        List<Path> written = new ArrayList<>();
        for (GuestBlob t : acpi.tables()) {
            Path p = outDir.resolve(t.what() + ".dat");
            Files.write(p, t.bytes());
            written.add(p);
        }

        List<CpuidEntry> supported = List.of();
        OptionalInt tscKhz = OptionalInt.empty();
        String baseNote;
        try (Kvm kvm = Kvm.open(); VmFd vm = kvm.createVm(); VcpuFd vcpu = vm.createVcpu(0)) {
            supported = kvm.supportedCpuid();
            tscKhz = vcpu.tscKhz().map(OptionalInt::of).orElse(OptionalInt.empty());
            baseNote = "KVM_GET_SUPPORTED_CPUID of this host (" + CpuidTopology.vendor(supported) + ")";
        } catch (KvmException | NativeCallException e) {
            baseNote = "no KVM here (" + e.getMessage() + "): only the leaves the VMM synthesises";
        }
        StringBuilder sb = new StringBuilder();
        sb.append("# CPUID per vCPU for ").append(topology).append("; base: ").append(baseNote).append('\n');
        for (int cpu = 0; cpu < topology.totalCpus(); cpu++) {
            sb.append(String.format("vcpu %d apic_id 0x%x node %d llc %d core %d thread %d%n", cpu,
                    topology.apicIdOf(cpu), topology.nodeOf(cpu), topology.llcOf(cpu), topology.coreOf(cpu),
                    topology.threadOf(cpu)));
            for (CpuidEntry e : CpuidTopology.forCpu(supported, topology, cpu, tscKhz)) {
                sb.append("  ").append(e).append('\n');
            }
        }
        Path cpuid = outDir.resolve("cpuid.txt");
        Files.writeString(cpuid, sb.toString(), StandardCharsets.UTF_8);
        return new Result(written, cpuid, baseNote);
    }
}
