package dev.ktstr.kvm.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostVirtualizationTest {

    @Test
    void classifiesEachKindOfHost(@TempDir Path d) throws Exception {
        Path kvm = Files.createFile(d.resolve("kvm"));
        Path pvm = d.resolve("kvm_pvm");
        Path cpu = d.resolve("cpuinfo");
        Files.writeString(cpu, "processor: 0\nflags\t\t: fpu vme sse2 vmx ept\n");
        assertEquals(HostVirtualization.Kind.ABSENT, HostVirtualization.probe(d.resolve("none"), pvm, cpu).kind());
        HostVirtualization hw = HostVirtualization.probe(kvm, pvm, cpu);
        assertEquals(HostVirtualization.Kind.HARDWARE, hw.kind());
        assertTrue(hw.runsStockKernels());
        Files.createDirectory(pvm);
        HostVirtualization p = HostVirtualization.probe(kvm, pvm, cpu);
        assertEquals(HostVirtualization.Kind.PVM, p.kind());
        assertFalse(p.runsStockKernels());
        assertTrue(p.detail().endsWith("is kvm_pvm: stock kernels cannot run under it"), p.detail());
        Files.delete(pvm);
        Files.writeString(cpu, "flags: fpu sse2\n");
        assertEquals(HostVirtualization.Kind.PVM, HostVirtualization.probe(kvm, pvm, cpu).kind());
    }

    private record Fake(String id, boolean ok) implements VmEngine {
        @Override
        public EngineAvailability availability() {
            return ok ? EngineAvailability.usable("fine") : EngineAvailability.unusable("broken here");
        }

        @Override
        public RunningVm start(VmSpec spec) {
            throw new UnsupportedOperationException("selection tests never boot");
        }
    }

    @Test
    void selectorPrefersOwnVmmThenQemuKvmThenTcgAndSaysWhy() {
        EngineSelector all = new EngineSelector(List.of(new Fake("qemu-tcg", true), new Fake("qemu-kvm", false),
                new Fake("kvm", false)));
        EngineSelector.Choice c = all.choose("");
        assertEquals("qemu-tcg", c.engine().id());
        assertEquals("kvm: broken here; qemu-kvm: broken here; using qemu-tcg (fine)", c.reason());
        assertEquals("kvm", new EngineSelector(List.of(new Fake("kvm", true), new Fake("qemu-tcg", true)))
                .choose("").engine().id());
        assertEquals("qemu-tcg", all.choose("qemu").engine().id());
        EngineSelector.Choice bad = all.choose("kvm");
        assertFalse(bad.found());
        assertEquals("requested engine 'kvm' is not usable: kvm: broken here", bad.reason());
        assertTrue(all.choose("vbox").reason().startsWith("unknown engine 'vbox'"));
        assertEquals("no usable VM engine: kvm: broken here", new EngineSelector(List.of(new Fake("kvm", false)))
                .choose("").reason());
    }
}
