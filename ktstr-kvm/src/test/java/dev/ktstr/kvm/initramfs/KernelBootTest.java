package dev.ktstr.kvm.initramfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.kvm.engine.InitramfsPart;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real kernel unpacks what we build: the dev kernel boots under QEMU (TCG, single-threaded, the
 * PVH entry of the ELF vmlinux) with the cached base and a suffix as two concatenated LZ4 legacy
 * streams, and a static probe init reports what it found on ttyS0.
 */
class KernelBootTest {

    private static final String CMDLINE = "console=ttyS0 panic=-1 quiet loglevel=4 no_timer_check tsc=reliable"
            + " i8042.noaux i8042.nokbd i8042.nopnp i8042.dumbkbd nokaslr mitigations=off cryptomgr.notests audit=0"
            + " nowatchdog random.trust_cpu=on rcupdate.rcu_expedited=1 lsm=capability rdinit=/init";

    @Test
    void theDevKernelUnpacksBaseAndSuffixAndRunsWhatTheyHold(@TempDir Path tmp) throws Exception {
        Path qemu = HostTools.require("qemu-system-x86_64", "qemu-system-x86");
        Path kernel = dev.ktstr.kvm.TestKernelFiles.requireVmlinux();

        Path src = tmp.resolve("probe_init.c");
        try (InputStream in = KernelBootTest.class.getResourceAsStream("probe_init.c")) {
            Files.copy(in, src);
        }
        HostTools.gcc(tmp, List.of("-std=gnu11", "-Wall", "-Wextra", "-Werror", "-O2", "-static", "-o", "probe_init",
                "probe_init.c"));
        NativeFixtures fx = NativeFixtures.build(tmp.resolve("fx"));
        Path busybox = Path.of("/bin/busybox");
        // Over 8 MiB so the base is several LZ4 blocks; the marker then sits in the last one.
        Path blob = tmp.resolve("blob");
        Files.write(blob, Lz4LegacyOutputStreamTest.sample(9 << 20, 11));
        BaseSpec.Builder spec = BaseSpec.builder(tmp.resolve("probe_init")).include(fx.app.toString())
                .include(blob.toString());
        boolean withBusybox = Files.isExecutable(busybox);
        if (withBusybox) {
            spec.busybox(busybox);
        }
        String token = UUID.randomUUID().toString();
        Suffix suffix = Suffix.builder().file("/ktstr/args", "run " + token + "\n").build();

        String prefix = "ktstr-test-boot-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + "-";
        String console;
        PreparedInitramfs prepared;
        try (BaseCache cache = new BaseCache(BaseCache.DEFAULT_DIR, prefix, Duration.ofMinutes(2), null)) {
            Initramfs initramfs = new Initramfs(BasePlannerTest.planner(), cache);
            prepared = initramfs.prepare(spec.build(), suffix);
            List<InitramfsPart> parts = prepared.parts();
            assertTrue(parts.get(0) instanceof InitramfsPart.FilePart, "the cached base is a file");
            assertTrue(parts.get(1) instanceof InitramfsPart.BytesPart, "the suffix is bytes");
            Path initrd = tmp.resolve("initrd.lz4");
            Initramfs.concatenate(parts, initrd);
            assertEquals(prepared.initrdSize(), Files.size(initrd));

            HostTools.Result r = HostTools.run(List.of(qemu.toString(), "-M", "pc", "-accel", "tcg,thread=single",
                    "-m", "512", "-smp", "1", "-nodefaults", "-display", "none", "-no-reboot", "-serial", "stdio",
                    "-kernel", kernel.toString(), "-initrd", initrd.toString(), "-append", CMDLINE), null, tmp, null, 300);
            console = r.out();
            assertEquals(0, r.exit(), "qemu failed: " + r.stderr() + "\n" + console);
        }
        assertFalse(console.contains("Initramfs unpacking failed"), console);
        Matcher m = Pattern.compile("KTSTR_PROBE marker=\\[(.*?)\\] args=\\[(.*?)\\] app=\\[(.*?)\\] sh=\\[(.*?)\\]"
                + " blob=\\[(.*?)\\]").matcher(console);
        assertTrue(m.find(), "the probe init never reported; console:\n" + console);
        assertEquals("ktstr-base " + prepared.key(), m.group(1), "marker, the base's last member, arrived");
        assertEquals("run " + token, m.group(2), "the suffix stream was unpacked after the base stream");
        assertEquals("app bar=43", m.group(3), "the dynamic include ran with its $ORIGIN libraries and libc");
        assertEquals(withBusybox ? "busybox-sh-ok" : "absent", m.group(4));
        assertEquals(String.valueOf(9 << 20), m.group(5), "a file across LZ4 blocks arrived whole");
        assertTrue(prepared.uncompressedSize() > Lz4Legacy.MAX_BLOCK, "the base spans several blocks");
    }
}
