package dev.ktstr.kvm.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ktstr.kvm.engine.KernelImage;
import dev.ktstr.kvm.engine.VmExit;
import dev.ktstr.kvm.engine.VmSpec;
import dev.ktstr.topology.Topology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On PVM, where a stock kernel cannot finish booting, the real vmlinux still gets through its early
 * setup (entered through PVH) before KVM's instruction emulator gives up. What it prints with
 * {@code earlyprintk=serial} checks this VMM's memory map and ACPI tables against the kernel's own
 * parsers: the e820 map, every table found from the RSDP, the SRAT nodes, the IOAPIC and overrides,
 * and the CPU topology. The VM is stopped as soon as those lines are out (about a minute here).
 */
class PvmKernelDiagnosticTest {

    private static final String LAST_LINE = "CPU topo: Allowing 4 present CPUs plus 0 hotplug CPUs";

    @TempDir
    Path dir;

    @Test
    void realKernelParsesOurFirmware() throws Exception {
        assumeTrue(KvmHost.flavour() == KvmHost.Flavour.PVM,
                "PVM only: with hardware KVM, KernelBootTest boots the kernel all the way");
        KernelImage kernel = TestKernels.require(KernelImage.Format.ELF_PVH);
        Topology topo = Topology.parse("2n2l2c1t");
        VmSpec spec = new VmSpec(topo, topo.distances(), 512, kernel, List.of(),
                "earlyprintk=serial,ttyS0 loglevel=8 nokaslr", 1 << 20, Duration.ofSeconds(400), dir, false);
        CountDownLatch done = new CountDownLatch(1);
        try (KvmMachine m = KvmMachine.start(spec)) {
            m.console().addListener(l -> {
                if (l.contains(LAST_LINE)) {
                    done.countDown();
                }
            });
            boolean reached = done.await(360, TimeUnit.SECONDS) || contains(m.console().tail(2000), LAST_LINE);
            m.kill();
            VmExit exit = m.exit().get(30, TimeUnit.SECONDS);
            List<String> console = m.console().tail(2000);
            String all = String.join("\n", console);
            assertTrue(reached, () -> "the kernel never printed its CPU topology; it ended with " + exit.summary()
                    + "\n" + all);

            assertTrue(contains(console, "BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff]  System RAM"), all);
            assertTrue(contains(console, "BIOS-e820: [mem 0x0000000000100000-0x000000001fefffff]  System RAM"), all);
            assertTrue(contains(console, "BIOS-e820: [mem 0x000000001ff00000-0x000000001fffffff]  device reserved"),
                    "agent region reserved");
            assertTrue(contains(console, "ACPI: RSDP 0x00000000000E0000 000024 (v02 KTSTR )"), all);
            for (String sig : List.of("XSDT", "FACP", "DSDT", "APIC", "SRAT", "SLIT", "HMAT")) {
                assertTrue(console.stream().anyMatch(l -> l.contains("ACPI: " + sig + " 0x") && l.contains("KTSTRVMM")),
                        sig + " found from the RSDP\n" + all);
            }
            assertEquals(1, console.stream().filter(l -> l.contains("ACPI: FACS 0x")).count(), "FACS installed once");
            assertTrue(contains(console, "ACPI: SRAT: Node 0 PXM 0 [mem 0x00000000-0x0fffffff]"), all);
            assertTrue(contains(console, "ACPI: SRAT: Node 1 PXM 1 [mem 0x10000000-0x1fffffff]"), all);
            assertTrue(contains(console, "IOAPIC[0]: apic_id 0, version 17, address 0xfec00000, GSI 0-23"), all);
            assertTrue(contains(console, "ACPI: INT_SRC_OVR (bus 0 bus_irq 0 global_irq 2 dfl dfl)"), all);
            assertTrue(contains(console, "ACPI: INT_SRC_OVR (bus 0 bus_irq 9 global_irq 9 high level)"), all);
            assertTrue(contains(console, "ACPI: Using ACPI (MADT) for SMP configuration information"), all);
            assertTrue(contains(console, "CPU topo: Max. logical packages:   2"), "one package per LLC\n" + all);
            assertTrue(contains(console, "CPU topo: Max. threads per core:   1"), all);
            assertTrue(console.stream().noneMatch(l -> l.contains("ACPI Error") || l.contains("ACPI BIOS Error")
                    || l.contains("Incorrect checksum")), all);
        }
    }

    private static boolean contains(List<String> console, String text) {
        return console.stream().anyMatch(l -> l.contains(text));
    }
}
