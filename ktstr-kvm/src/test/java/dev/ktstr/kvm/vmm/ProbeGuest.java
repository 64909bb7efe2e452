package dev.ktstr.kvm.vmm;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ktstr.kvm.engine.InitramfsPart;
import dev.ktstr.kvm.engine.KernelImage;
import dev.ktstr.kvm.engine.VmSpec;
import dev.ktstr.topology.Topology;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Locates the probe guest built by the Maven build and makes specs that boot it. */
final class ProbeGuest {

    static final Path DIR = Path.of(System.getProperty("ktstr.probe.dir", "target/probe"));
    static final Path BZIMAGE = DIR.resolve("probe.bzImage");
    static final Path PVH = DIR.resolve("probe.pvh.elf");

    private ProbeGuest() {}

    /** Skips the calling test when this host has no /dev/kvm; fails when the probe was not built. */
    static void assumeKvm() {
        assumeTrue(Files.exists(Path.of("/dev/kvm")), "no /dev/kvm on this host: the probe guest cannot run");
        if (!Files.exists(BZIMAGE) || !Files.exists(PVH)) {
            throw new IllegalStateException("probe guest not built in " + DIR.toAbsolutePath()
                    + " (the Maven build runs make in src/test/probe)");
        }
    }

    static KernelImage kernel(KernelImage.Format format) {
        return new KernelImage(format == KernelImage.Format.BZIMAGE ? BZIMAGE : PVH, format);
    }

    /** Deterministic pseudo-random bytes, as initramfs content the probe hashes. */
    static List<InitramfsPart> initramfs(long seed, int... sizes) {
        Random r = new Random(seed);
        List<InitramfsPart> parts = new ArrayList<>();
        for (int size : sizes) {
            byte[] b = new byte[size];
            r.nextBytes(b);
            parts.add(new InitramfsPart.BytesPart(ByteBuffer.wrap(b)));
        }
        return parts;
    }

    static VmSpec spec(Topology topo, KernelImage.Format format, String cmdline, List<InitramfsPart> initramfs,
            long agentBytes, Duration watchdog, Path workDir) {
        long memoryMb = Math.max(256, topo.totalCpus() * 64L);
        return new VmSpec(topo, topo.distances(), memoryMb, kernel(format), initramfs, cmdline, agentBytes, watchdog,
                workDir, false);
    }

    /** FNV-1a over little-endian 64-bit words, the last zero-padded: what the probe reports. */
    static long fnv1a64Words(byte[] data) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < data.length; i += 8) {
            long w = 0;
            for (int j = 0; j < 8 && i + j < data.length; j++) {
                w |= (data[i + j] & 0xFFL) << (8 * j);
            }
            h ^= w;
            h *= 0x100000001b3L;
        }
        return h;
    }

    static byte[] concat(List<InitramfsPart> parts) {
        int total = 0;
        for (InitramfsPart p : parts) {
            total += (int) p.size();
        }
        ByteBuffer all = ByteBuffer.allocate(total);
        for (InitramfsPart p : parts) {
            all.put(((InitramfsPart.BytesPart) p).bytes().duplicate());
        }
        return all.array();
    }
}
