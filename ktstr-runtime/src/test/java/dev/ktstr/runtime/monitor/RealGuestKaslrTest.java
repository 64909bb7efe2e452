package dev.ktstr.runtime.monitor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.kvm.introspect.KaslrActiveException;
import dev.ktstr.kvm.introspect.KallsymsCache;
import dev.ktstr.kvm.introspect.KallsymsParser;
import dev.ktstr.kvm.introspect.KernelSymbols;
import dev.ktstr.kvm.introspect.Vmlinux;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A guest booted without {@code nokaslr} is recognised and the monitor says so in one line. */
class RealGuestKaslrTest {

    private static final String PREFIX = "monitor disabled: KASLR active (boot with nokaslr)";

    @Test
    void randomizedImageFromTheBzImageIsRefusedAndNotCached(@TempDir Path cacheDir) throws Exception {
        Vmlinux vmlinux = DevKernel.vmlinux();
        try (SpikeGuest g = SpikeGuest.boot(1, SpikeGuest.Kernel.BZIMAGE_KASLR)) {
            String text = g.kallsyms(KernelSymbols.INTROSPECTION_SYMBOLS);
            KernelSymbols syms = KallsymsParser.parse("guest /proc/kallsyms", text);
            MonitorAttach a = Monitor.attach(g.memory(), vmlinux, syms, 250, MonitorConfig.defaults(),
                    g::vcpuCpuTimeNs);
            String line = assertInstanceOf(MonitorAttach.Disabled.class, a).line();
            assertTrue(line.startsWith(PREFIX + ": _text is at 0x"), line);

            KallsymsCache cache = new KallsymsCache(cacheDir);
            assertThrows(KaslrActiveException.class, () -> dev.ktstr.kvm.introspect.SymbolResolver.resolve(vmlinux,
                    cache, () -> text));
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
        Vmlinux vmlinux = DevKernel.vmlinux();
        try (SpikeGuest g = SpikeGuest.boot(1, SpikeGuest.Kernel.PVH_KASLR)) {
            KernelSymbols syms = KallsymsParser.parse("guest /proc/kallsyms",
                    g.kallsyms(KernelSymbols.INTROSPECTION_SYMBOLS));
            MonitorAttach a = Monitor.attach(g.memory(), vmlinux, syms, 250, MonitorConfig.defaults(),
                    g::vcpuCpuTimeNs);
            try (Monitor m = assertInstanceOf(MonitorAttach.Ready.class, a).monitor()) {
                Sample s = m.sampleOnce();
                assertTrue(s.cpus().get(0).rqClock() > 0, s.toString());
            }
        }
    }
}
