package dev.ktstr.kvm.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.ktstr.kvm.engine.InitramfsPart;
import dev.ktstr.kvm.engine.KernelImage;
import dev.ktstr.kvm.engine.VmExit;
import dev.ktstr.kvm.engine.VmSpec;
import dev.ktstr.kvm.vmm.boot.CowInitramfsLoader;
import dev.ktstr.topology.Topology;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's default loader maps a file base copy-on-write into guest RAM and copies the suffix
 * after it; the probe guest hashes the initrd it was given, so a wrong mapping, offset or size shows.
 */
class CowInitramfsTest {

    @TempDir
    Path dir;

    @Test
    void aMappedBaseAndACopiedSuffixReachTheGuestIntact() throws Exception {
        ProbeGuest.assumeKvm();
        Path base = Files.createTempFile(Path.of("/dev/shm"), "ktstr-cow-test-", ".img");
        try {
            List<InitramfsPart> random = ProbeGuest.initramfs(42, 3 * 4096 + 123, 777);
            ByteBuffer b = ((InitramfsPart.BytesPart) random.get(0)).bytes().duplicate();
            byte[] baseBytes = new byte[b.remaining()];
            b.get(baseBytes);
            Files.write(base, baseBytes);
            List<InitramfsPart> parts = new ArrayList<>(List.of(new InitramfsPart.FilePart(base, baseBytes.length),
                    random.get(1)));
            VmSpec spec = ProbeGuest.spec(Topology.parse("1n1l1c1t"), KernelImage.Format.ELF_PVH, "probe.check=all",
                    parts, 1 << 20, Duration.ofSeconds(60), dir);
            try (KvmMachine m = KvmMachine.start(spec, new CowInitramfsLoader())) {
                VmExit exit = m.exit().get(120, TimeUnit.SECONDS);
                List<String> console = m.console().tail(KvmMachine.CONSOLE_LINES);
                assertInstanceOf(VmExit.PoweredOff.class, exit, () -> String.join("\n", console));
                Map<String, String> initrd = ProbeReport.kv(new ProbeReport(console).first("initrd").orElseThrow());
                byte[] all = ProbeGuest.concat(random);
                assertEquals(all.length, ProbeReport.num(initrd.get("size")));
                assertEquals(ProbeGuest.fnv1a64Words(all), Long.parseUnsignedLong(initrd.get("hash").substring(2), 16));
            }
        } finally {
            Files.deleteIfExists(base);
        }
    }
}
