package dev.ktstr.kvm.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.kvm.engine.GuestRegion;
import dev.ktstr.kvm.engine.InitramfsPart;
import dev.ktstr.kvm.engine.KernelImage;
import dev.ktstr.kvm.engine.VmExit;
import dev.ktstr.kvm.engine.VmSpec;
import dev.ktstr.kvm.vmm.x86.E820Entry;
import dev.ktstr.topology.Topology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Boots the probe guest through both entry paths on several topologies, exactly as Linux would be
 * booted, and compares everything it reports with what the VMM was asked for: boot protocol state,
 * e820/memmap, command line, initrd bytes, every ACPI table reachable from the RSDP with valid
 * checksums, MADT/SRAT/SLIT/HMAT contents, and every AP started by INIT/SIPI.
 */
class ProbeBootTest {

    @TempDir
    Path dir;

    static Stream<Arguments> machines() {
        List<Arguments> out = new ArrayList<>();
        for (KernelImage.Format f : KernelImage.Format.values()) {
            for (String t : List.of("1n1l1c1t", "1n2l1c2t", "1n3l3c1t", "2n2l4c2t")) {
                out.add(Arguments.of(f, t));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("machines")
    void probeSeesTheMachineItWasPromised(KernelImage.Format format, String topology) throws Exception {
        ProbeGuest.assumeKvm();
        Topology topo = Topology.parse(topology);
        List<InitramfsPart> initramfs = ProbeGuest.initramfs(topology.hashCode(), 8192, 1234);
        VmSpec spec = ProbeGuest.spec(topo, format, "probe.check=all", initramfs, 1 << 20, Duration.ofSeconds(60), dir);
        try (KvmMachine m = KvmMachine.start(spec)) {
            VmExit exit = m.exit().get(120, TimeUnit.SECONDS);
            List<String> console = m.console().tail(KvmMachine.CONSOLE_LINES);
            ProbeReport r = new ProbeReport(console);
            assertInstanceOf(VmExit.PoweredOff.class, exit, () -> exit.summary() + "\n" + String.join("\n", console));
            assertEquals(List.of(), r.failures(), () -> String.join("\n", console));
            assertTrue(r.lines().contains("end poweroff"));

            // Boot protocol state.
            String boot = format == KernelImage.Format.BZIMAGE ? "bzimage" : "pvh";
            assertEquals(boot, ProbeReport.kv(r.first("start").orElseThrow()).get("boot"));
            TreeSet<String> want = new TreeSet<>(List.of("e820-sorted", "initrd-placement", "rsdp-found",
                    "rsdp-checksums", "dsdt-s5", "facs", "madt-structure", "srat-structure", "slit-matrix",
                    "rsdt-matches-xsdt", "acpi-tables", "aps-started"));
            want.addAll(format == KernelImage.Format.BZIMAGE
                    ? List.of("zeropage-header", "zeropage-loader", "long-mode", "boot-selectors", "identity-map")
                    : List.of("start-info-magic", "pvh-entry-mode"));
            if (topo.numaNodes() > 1) {
                want.add("hmat-structure");
            }
            assertEquals(want, r.passedChecks());

            // Memory map: the VMM's plan, with the agent region reserved at the top of RAM.
            GuestRegion agent = m.agentRegion().orElseThrow();
            List<long[]> e820 = r.e820();
            List<E820Entry> planned = m.bootPlan().e820();
            assertEquals(planned.size(), e820.size());
            for (int i = 0; i < planned.size(); i++) {
                assertEquals(planned.get(i).addr(), e820.get(i)[0]);
                assertEquals(planned.get(i).size(), e820.get(i)[1]);
                assertEquals(planned.get(i).type(), e820.get(i)[2]);
            }
            assertTrue(e820.stream().anyMatch(e -> e[0] == agent.gpa() && e[1] == (1 << 20)
                    && e[2] == E820Entry.RESERVED), "agent region reserved");
            assertEquals(spec.memoryMb() << 20, agent.gpa() + agent.size(), "agent region at the top of RAM");
            long ram = e820.stream().filter(e -> e[2] == E820Entry.RAM).mapToLong(e -> e[1]).sum();
            assertEquals((spec.memoryMb() << 20) - (1 << 20) - (0x100000 - 0x9FC00), ram);

            // Command line and initrd.
            assertEquals("probe.check=all console=ttyS0 ktstr.shm=0x" + Long.toHexString(agent.gpa()) + ",0x100000",
                    r.first("cmdline").orElseThrow());
            Map<String, String> initrd = ProbeReport.kv(r.first("initrd").orElseThrow());
            byte[] bytes = ProbeGuest.concat(initramfs);
            assertEquals(bytes.length, ProbeReport.num(initrd.get("size")));
            assertEquals(ProbeGuest.fnv1a64Words(bytes), Long.parseUnsignedLong(initrd.get("hash").substring(2), 16));

            // MADT: one enabled local APIC per CPU, UID = CPU index, id = Topology.apicIdOf.
            List<String> lapics = r.with("madt").stream().filter(l -> l.startsWith("lapic ")).toList();
            assertEquals(IntStream.range(0, topo.totalCpus())
                    .mapToObj(c -> "lapic uid=" + c + " apic=" + topo.apicIdOf(c) + " flags=1").toList(), lapics);
            assertTrue(r.with("madt").contains("ioapic id=0 addr=0xfec00000 gsi=0"));
            assertTrue(r.with("madt").contains("iso irq=0 gsi=2 flags=0x0"));
            assertTrue(r.with("madt").contains("iso irq=9 gsi=9 flags=0xd"));
            assertTrue(r.with("madt").contains("nmi uid=0xff lint=1"));

            // SRAT: every CPU in its node, every node's memory where the layout put it.
            assertEquals(IntStream.range(0, topo.totalCpus())
                            .mapToObj(c -> "cpu apic=" + topo.apicIdOf(c) + " node=" + topo.nodeOf(c) + " flags=1")
                            .toList(),
                    r.with("srat").stream().filter(l -> l.startsWith("cpu ")).toList());
            List<String> mem = r.with("srat").stream().filter(l -> l.startsWith("mem ")).toList();
            assertEquals(topo.numaNodes(), mem.size());
            long base = 0;
            for (int n = 0; n < topo.numaNodes(); n++) {
                long len = spec.nodeMemoryMb(n) << 20;
                assertEquals("mem base=0x" + Long.toHexString(base) + " len=0x" + Long.toHexString(len) + " node=" + n
                        + " flags=1", mem.get(n));
                base += len;
            }

            // SLIT and HMAT.
            String slit = IntStream.range(0, topo.numaNodes() * topo.numaNodes())
                    .mapToObj(i -> String.valueOf(spec.distances().distance(i / topo.numaNodes(), i % topo.numaNodes())))
                    .collect(Collectors.joining(","));
            assertEquals("n=" + topo.numaNodes() + " d=" + slit, r.first("slit").orElseThrow());
            if (topo.numaNodes() > 1) {
                assertEquals("mpda=" + topo.numaNodes() + " sllbi=2", r.first("hmat").orElseThrow());
            } else {
                assertFalse(r.first("hmat").isPresent());
            }

            // Every application processor woke through INIT/SIPI and reported its own APIC id.
            List<String> aps = IntStream.range(1, topo.totalCpus()).map(topo::apicIdOf).sorted()
                    .mapToObj(id -> "apic=" + id).toList();
            assertEquals(aps, r.with("ap"));
            assertEquals(topo.totalCpus(), m.vcpuCpuTimeNs().length);
            assertTrue(m.vcpuCpuTimeNs()[0] > 0, "the boot vCPU used CPU time");
        }
    }
}
