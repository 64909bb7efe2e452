package dev.ktstr.kvm.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.topology.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The firmware dump behind {@code ktstr vm firmware}: one .dat per table, CPUID per vCPU. */
class FirmwareDumpTest {

    @TempDir
    Path dir;

    @Test
    void writesEveryTableAndEveryVcpu() throws Exception {
        Topology t = Topology.parse("2n4l2c2t");
        FirmwareDump.Result r = FirmwareDump.write(t, dir);
        List<String> names = r.tables().stream().map(p -> p.getFileName().toString()).sorted().toList();
        assertEquals(List.of("APIC.dat", "DSDT.dat", "FACP.dat", "FACS.dat", "HMAT.dat", "RSDP.dat", "RSDT.dat",
                "SLIT.dat", "SRAT.dat", "XSDT.dat"), names);
        assertEquals("SRAT", new String(Files.readAllBytes(dir.resolve("SRAT.dat")), 0, 4,
                java.nio.charset.StandardCharsets.US_ASCII));
        List<String> cpuid = Files.readAllLines(r.cpuidSummary());
        assertTrue(cpuid.get(0).contains("2n4l2c2t"), cpuid.get(0));
        assertEquals(16, cpuid.stream().filter(l -> l.startsWith("vcpu ")).count());
        assertTrue(cpuid.contains("vcpu 13 apic_id 0xd node 1 llc 3 core 0 thread 1"), "vCPU 13's identity");
        int at = cpuid.indexOf("vcpu 13 apic_id 0xd node 1 llc 3 core 0 thread 1");
        assertTrue(cpuid.subList(at, at + 200).stream().anyMatch(l -> l.contains("0x0000000b.1:")
                && l.endsWith("edx=0x0000000d")), "leaf 0xB carries the x2APIC id");
    }
}
