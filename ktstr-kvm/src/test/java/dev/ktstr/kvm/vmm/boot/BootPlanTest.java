package dev.ktstr.kvm.vmm.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.kvm.vmm.memory.GuestBlob;
import dev.ktstr.kvm.vmm.memory.MemoryLayout;
import dev.ktstr.kvm.vmm.x86.LowMemory;
import dev.ktstr.topology.Topology;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Placement of command line, initrd and tables, and the errors when something does not fit. */
class BootPlanTest {

    private static final Topology TOPO = Topology.parse("1n1l2c1t");

    private static MemoryLayout mib(long mb, long agentBytes) {
        return MemoryLayout.of(new long[] {mb << 20}, agentBytes);
    }

    @Test
    void initrdGoesAsHighAsTheKernelAllowsBelowTheAgentRegion() throws Exception {
        BootPlan p = BootPlan.plan(mib(256, 1 << 20), TOPO, TOPO.distances(), "quiet", 0x4800000, 2047, 0x8000_0000L,
                10_000);
        assertEquals(255L << 20, p.layout().agentGpa());
        assertEquals(((255L << 20) - 10_000) & ~0xFFFL, p.initrdAddr());
        assertEquals(10_000, p.initrdSize());
        assertEquals(LowMemory.ACPI_BASE, p.acpi().rsdp());
    }

    @Test
    void initrdRespectsTheKernelsLimit() throws Exception {
        BootPlan p = BootPlan.plan(mib(3072, 0), TOPO, TOPO.distances(), "", 0x4800000, 2047, 0x8000_0000L, 4096);
        assertEquals(0x8000_0000L - 4096, p.initrdAddr(), "initrd_addr_max 0x7fffffff");
    }

    @Test
    void noInitrd() throws Exception {
        BootPlan p = BootPlan.plan(mib(256, 0), TOPO, TOPO.distances(), "", 0x4800000, 2047, 1L << 32, 0);
        assertEquals(0, p.initrdAddr());
    }

    @Test
    void commonBlobsCarryTheCommandLineWithItsNul() throws Exception {
        BootPlan p = BootPlan.plan(mib(256, 0), TOPO, TOPO.distances(), "console=ttyS0", 0x4800000, 2047, 1L << 32, 0);
        GuestBlob line = p.commonBlobs().stream().filter(b -> b.what().equals("command line")).findFirst()
                .orElseThrow();
        assertEquals(LowMemory.CMDLINE, line.gpa());
        assertEquals("console=ttyS0\0", new String(line.bytes(), StandardCharsets.US_ASCII));
        List<String> names = p.commonBlobs().stream().map(GuestBlob::what).toList();
        assertTrue(names.containsAll(List.of("GDT", "IDT", "RSDP", "XSDT", "RSDT", "FACP", "DSDT", "FACS", "APIC",
                "SRAT", "SLIT")), names::toString);
    }

    @Test
    void tooSmallOrTooLongFailsWithTheNumbers() {
        BootPlan.DoesNotFitException kernel = assertThrows(BootPlan.DoesNotFitException.class,
                () -> BootPlan.plan(mib(64, 0), TOPO, TOPO.distances(), "", 0x4C39000 + 0x1000000, 2047, 1L << 32, 0));
        assertTrue(kernel.getMessage().contains("guest RAM too small: the kernel needs memory up to 0x5c39000"),
                kernel.getMessage());
        BootPlan.DoesNotFitException initrd = assertThrows(BootPlan.DoesNotFitException.class,
                () -> BootPlan.plan(mib(128, 0), TOPO, TOPO.distances(), "", 0x4800000, 2047, 1L << 32, 100L << 20));
        assertTrue(initrd.getMessage().contains("initramfs of 104857600 bytes does not fit"), initrd.getMessage());
        BootPlan.DoesNotFitException line = assertThrows(BootPlan.DoesNotFitException.class,
                () -> BootPlan.plan(mib(128, 0), TOPO, TOPO.distances(), "x".repeat(300), 0x4800000, 255, 1L << 32, 0));
        assertEquals("kernel command line is 300 bytes; this kernel accepts at most 255", line.getMessage());
    }
}
