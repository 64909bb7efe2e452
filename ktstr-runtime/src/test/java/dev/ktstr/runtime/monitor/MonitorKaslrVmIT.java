package dev.ktstr.runtime.monitor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.kvm.engine.EngineSelector;
import dev.ktstr.kvm.engine.KernelImage;
import dev.ktstr.kvm.initramfs.BaseSpec;
import dev.ktstr.kvm.initramfs.Initramfs;
import dev.ktstr.kvm.initramfs.PreparedInitramfs;
import dev.ktstr.kvm.initramfs.Suffix;
import dev.ktstr.kvm.introspect.KallsymsCache;
import dev.ktstr.kvm.introspect.KallsymsParser;
import dev.ktstr.kvm.introspect.KaslrActiveException;
import dev.ktstr.kvm.introspect.KernelSymbols;
import dev.ktstr.kvm.introspect.SymbolResolver;
import dev.ktstr.kvm.introspect.Vmlinux;
import dev.ktstr.runtime.agent.AgentBinary;
import dev.ktstr.runtime.kernel.ResolvedKernel;
import dev.ktstr.runtime.vm.GuestLauncher;
import dev.ktstr.runtime.vm.GuestVm;
import dev.ktstr.runtime.vm.KernelCmdline;
import dev.ktstr.topology.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A guest booted without {@code nokaslr} is recognised and the monitor says so in one line, never
 * reading wrong addresses. The product always boots with {@code nokaslr}; these guests are booted
 * through the same engine and agent with that one argument removed.
 */
@Tag("vm")
class MonitorKaslrVmIT {

    private static final String PREFIX = "monitor disabled: KASLR active (boot with nokaslr)";
    private static final Topology ONE_CPU = Topology.parse("1,1,1,1");

    private static GuestVm bootWithoutNokaslr(EngineSelector.Choice engine, ResolvedKernel k, KernelImage image)
            throws Exception {
        PreparedInitramfs ir = Initramfs.system().prepare(
                BaseSpec.builder(AgentBinary.path()).busybox(GuestLauncher.BUSYBOX).build(),
                Suffix.builder().file("/ktstr/release", k.release()).build());
        String cmdline = KernelCmdline.build(Map.of(), List.of(), false).replace(" nokaslr", "");
        assertFalse(cmdline.contains("nokaslr"), cmdline);
        return GuestVm.boot(engine.engine(), new GuestVm.Spec(ONE_CPU, 512, image, ir.parts(), cmdline,
                GuestLauncher.bootTimeout(engine, ONE_CPU), Duration.ofMinutes(5), false));
    }

    @Test
    void aRandomizedImageFromTheBzImageIsRefusedAndNotCached(@TempDir Path cacheDir) throws Exception {
        EngineSelector.Choice engine = RealGuest.engine();
        ResolvedKernel k = RealGuest.kernel();
        Vmlinux vmlinux = Vmlinux.open(k.vmlinux().get());
        try (GuestVm g = bootWithoutNokaslr(engine, k, new KernelImage(k.image(), KernelImage.Format.BZIMAGE))) {
            String text = RealGuest.kallsyms(g.agent());
            KernelSymbols syms = KallsymsParser.parse("guest /proc/kallsyms", text);
            MonitorAttach a = Monitor.attach(g.vm().memory(), vmlinux, syms, 250, MonitorConfig.defaults(),
                    g.vm()::vcpuCpuTimeNs);
            String line = assertInstanceOf(MonitorAttach.Disabled.class, a).line();
            System.out.println(line);
            assertTrue(line.startsWith(PREFIX + ": _text is at 0x"), line);

            KallsymsCache cache = new KallsymsCache(cacheDir);
            assertThrows(KaslrActiveException.class, () -> SymbolResolver.resolve(vmlinux, cache, () -> text));
            try (var files = Files.list(cacheDir)) {
                assertFalse(files.findAny().isPresent(), "randomized addresses must not be cached");
            }
        }
    }

    @Test
    void aPvhBootWithoutNokaslrIsNotRandomizedAndNotRefused() throws Exception {
        // KASLR is done by the bzImage's decompressor, which also sets the boot flag that lets the kernel
        // randomize its memory regions; the PVH entry skips both, so such a guest is as readable as one
        // booted with nokaslr. The checks must not cry wolf here.
        EngineSelector.Choice engine = RealGuest.engine();
        ResolvedKernel k = RealGuest.kernel();
        Vmlinux vmlinux = Vmlinux.open(k.vmlinux().get());
        try (GuestVm g = bootWithoutNokaslr(engine, k, new KernelImage(k.vmlinux().get(), KernelImage.Format.ELF_PVH))) {
            KernelSymbols syms = KallsymsParser.parse("guest /proc/kallsyms", RealGuest.kallsyms(g.agent()));
            MonitorAttach a = Monitor.attach(g.vm().memory(), vmlinux, syms, 250, MonitorConfig.defaults(),
                    g.vm()::vcpuCpuTimeNs);
            try (Monitor m = assertInstanceOf(MonitorAttach.Ready.class, a, () -> ((MonitorAttach.Disabled) a).line())
                    .monitor()) {
                Sample s = m.sampleOnce();
                assertTrue(s.cpus().get(0).rqClock() > 0, s.toString());
            }
        }
    }
}
