package dev.ktstr.kvm.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.kvm.engine.InitramfsPart;
import dev.ktstr.kvm.engine.KernelImage;
import dev.ktstr.kvm.engine.VmSpec;
import dev.ktstr.topology.Topology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class QemuCommandLineTest {

    private static VmSpec spec(Topology t, long mb) {
        return new VmSpec(t, t.distances(), mb, new KernelImage(Path.of("/k/vmlinux"), KernelImage.Format.ELF_PVH),
                List.<InitramfsPart>of(), "rdinit=/init quiet", 16L << 20, Duration.ofSeconds(60), Path.of("/w"), false);
    }

    private static String args(VmSpec s, boolean kvm) {
        List<Path> ram = java.util.stream.IntStream.range(0, s.topology().numaNodes())
                .mapToObj(i -> Path.of("/dev/shm/r" + i)).toList();
        return String.join(" ", QemuCommandLine.build(Path.of("/q"), s, kvm, ram, Path.of("/i"), Path.of("/a.sock"),
                Path.of("/m.sock")));
    }

    @Test
    void singleNodeUsesOneSharedBackendAndSocketsPerLlc() {
        String a = args(spec(Topology.of(2, 2, 2), 2048), false);
        assertTrue(a.contains("-M pc,memory-backend=ram0"), a);
        assertTrue(a.contains("-accel tcg,thread=single"), a);
        assertTrue(a.contains("-smp cpus=8,sockets=2,cores=2,threads=2"), a);
        assertTrue(a.contains("memory-backend-file,id=ram0,size=2048M,mem-path=/dev/shm/r0,share=on"), a);
        assertFalse(a.contains("-numa"), a);
        assertTrue(a.contains("-kernel /k/vmlinux -initrd /i"), a);
        assertTrue(a.contains("-chardev socket,id=agent,path=/a.sock -serial chardev:agent"), a);
        assertTrue(a.contains("-no-reboot"), a);
    }

    @Test
    void numaNodesGetBackendsCpuPlacementAndDistances() {
        String a = args(spec(new Topology(2, 4, 2, 1), 1001), true);
        assertTrue(a.contains("-M pc "), a);
        assertTrue(a.contains("-accel kvm -cpu host"), a);
        assertTrue(a.contains("id=ram0,size=500M"), a);
        assertTrue(a.contains("id=ram1,size=501M"), "remainder on the last node: " + a);
        assertTrue(a.contains("-numa node,nodeid=1,memdev=ram1"), a);
        assertTrue(a.contains("-numa cpu,node-id=0,socket-id=1"), a);
        assertTrue(a.contains("-numa cpu,node-id=1,socket-id=2"), a);
        assertTrue(a.contains("-numa dist,src=0,dst=1,val=20"), a);
    }

    @Test
    void guestCommandLineReservesTheAgentRegion() {
        String c = QemuCommandLine.guestCmdline(spec(Topology.of(1, 1, 1), 512));
        assertEquals("rdinit=/init quiet console=ttyS0 memmap=0x1000000$0x8000000 ktstr.shm=0x8000000,0x1000000", c);
    }

    @Test
    void pcMachineSplitsRamAroundTheHole() {
        PcMemoryLayout small = new PcMemoryLayout(new long[] {1L << 30, 1L << 30});
        assertEquals(2, small.pieces().size());
        assertEquals(1L << 30, small.pieces().get(1).gpa());
        // 8 GiB in 2 nodes: low RAM stops at 3 GiB, the rest starts at 4 GiB.
        PcMemoryLayout big = new PcMemoryLayout(new long[] {4L << 30, 4L << 30});
        assertEquals(3L << 30, big.lowmem());
        List<PcMemoryLayout.Piece> p = big.pieces();
        assertEquals(new PcMemoryLayout.Piece(0, 0, 0, 3L << 30), p.get(0));
        assertEquals(new PcMemoryLayout.Piece(0, 3L << 30, 4L << 30, 1L << 30), p.get(1));
        assertEquals(new PcMemoryLayout.Piece(1, 0, 5L << 30, 4L << 30), p.get(2));
        // Just under 3.5 GiB stays below the hole.
        assertEquals(0xDFF00000L, new PcMemoryLayout(new long[] {0xDFF00000L}).lowmem());
    }
}
