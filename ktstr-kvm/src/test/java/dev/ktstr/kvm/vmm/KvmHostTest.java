package dev.ktstr.kvm.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ktstr.kvm.engine.EngineAvailability;
import dev.ktstr.kvm.engine.VmEngine;
import dev.ktstr.kvm.engine.VmStartException;
import dev.ktstr.topology.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which KVM a host has, what the engine says about it, and that the engine is discoverable. */
class KvmHostTest {

    @TempDir
    Path dir;

    @Test
    void flavourFromDeviceModuleAndCpuFlags() throws Exception {
        Path dev = Files.createFile(dir.resolve("kvm"));
        Path pvm = dir.resolve("kvm_pvm");
        Path cpuinfo = Files.writeString(dir.resolve("cpuinfo"), "processor\t: 0\nflags\t\t: fpu vme svm lm\n");
        assertEquals(KvmHost.Flavour.NONE, KvmHost.flavour(dir.resolve("absent"), pvm, cpuinfo));
        assertEquals(KvmHost.Flavour.HARDWARE, KvmHost.flavour(dev, pvm, cpuinfo));
        Files.writeString(cpuinfo, "flags\t\t: fpu vme vmx\n");
        assertEquals(KvmHost.Flavour.HARDWARE, KvmHost.flavour(dev, pvm, cpuinfo));
        Files.writeString(cpuinfo, "flags\t\t: fpu vme hypervisor svmx\n");
        assertEquals(KvmHost.Flavour.UNKNOWN, KvmHost.flavour(dev, pvm, cpuinfo), "whole words only");
        Files.createDirectory(pvm);
        assertEquals(KvmHost.Flavour.PVM, KvmHost.flavour(dev, pvm, cpuinfo));
    }

    @Test
    void engineIsFoundByServiceLoader() {
        List<String> ids = ServiceLoader.load(VmEngine.class).stream().map(p -> p.get().id()).toList();
        assertTrue(ids.contains("kvm"), ids::toString);
    }

    @Test
    void availabilityNamesThisHost() {
        EngineAvailability a = new KvmEngine().availability();
        switch (KvmHost.flavour()) {
            case NONE -> assertEquals(EngineAvailability.unusable("no /dev/kvm"), a);
            case PVM -> assertEquals(
                    EngineAvailability.unusable("/dev/kvm is kvm_pvm: stock kernels cannot run under it"), a);
            case HARDWARE -> assertTrue(a.usable() || a.reason().startsWith("no permission on /dev/kvm"), a::reason);
            case UNKNOWN -> assertFalse(a.usable());
        }
    }

    @Test
    void engineRefusesToStartWhereItCannotRunStockKernels() throws Exception {
        assumeTrue(!new KvmEngine().availability().usable(), "this host runs stock kernels under KVM");
        Topology t = Topology.parse("1n1l1c1t");
        VmStartException e = org.junit.jupiter.api.Assertions.assertThrows(VmStartException.class,
                () -> new KvmEngine().start(new dev.ktstr.kvm.engine.VmSpec(t, t.distances(), 256,
                        ProbeGuest.kernel(dev.ktstr.kvm.engine.KernelImage.Format.BZIMAGE), List.of(), "", 0,
                        Duration.ofSeconds(5), dir, false)));
        assertTrue(e.getMessage().startsWith("the kvm engine cannot run here: "), e.getMessage());
    }
}
