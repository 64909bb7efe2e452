package dev.ktstr.kvm.vmm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.kvm.engine.GuestRegion;
import dev.ktstr.kvm.engine.KernelImage;
import dev.ktstr.kvm.engine.VmExit;
import dev.ktstr.kvm.engine.VmSpec;
import dev.ktstr.topology.Topology;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's two channels: COM2, whose receive side interrupts the guest (the probe sleeps in HLT
 * until IRQ 3 arrives and echoes what it got), and the shared agent region, which the host, guest
 * memory and another mapping of the memfd all see as the same bytes.
 */
class AgentChannelTest {

    @TempDir
    Path dir;

    @Test
    void com2ReceiveInterruptsTheGuestAndItsReplyReachesTheHost() throws Exception {
        ProbeGuest.assumeKvm();
        VmSpec spec = ProbeGuest.spec(Topology.parse("1n1l2c1t"), KernelImage.Format.BZIMAGE, "probe.echo", List.of(),
                0, Duration.ofSeconds(60), dir);
        CountDownLatch ready = new CountDownLatch(1);
        try (KvmMachine m = KvmMachine.start(spec)) {
            m.console().addListener(l -> {
                if (l.equals("probe: com2 ready")) {
                    ready.countDown();
                }
            });
            assertTrue(ready.await(60, TimeUnit.SECONDS) || m.console().tail(500).contains("probe: com2 ready"),
                    () -> String.join("\n", m.console().tail(500)));
            byte[] msg = "hello from the host\n".getBytes(StandardCharsets.US_ASCII);
            OutputStream out = m.agentSerialOut();
            out.write(msg, 0, 6);
            out.flush();
            Thread.sleep(50); // a second burst after the guest went back to sleep: a second interrupt
            out.write(msg, 6, msg.length - 6);
            InputStream in = m.agentSerialIn();
            byte[] got = in.readNBytes(msg.length);
            assertArrayEquals(msg, got);
            VmExit e = m.exit().get(60, TimeUnit.SECONDS);
            assertInstanceOf(VmExit.PoweredOff.class, e, e::summary);
            ProbeReport r = new ProbeReport(m.console().tail(KvmMachine.CONSOLE_LINES));
            assertEquals(List.of(), r.failures());
            assertTrue(r.with("com2").contains("echoed " + msg.length), () -> String.join("\n", r.lines()));
            assertEquals(-1, in.read(), "COM2 input ends with the VM");
        }
    }

    @Test
    void agentRegionIsSharedGuestMemory() throws Exception {
        ProbeGuest.assumeKvm();
        VmSpec spec = ProbeGuest.spec(Topology.parse("1n1l1c1t"), KernelImage.Format.ELF_PVH,
                "probe.quick probe.end=hang", List.of(), 2 << 20, Duration.ofSeconds(60), dir);
        try (KvmMachine m = KvmMachine.start(spec)) {
            GuestRegion region = m.agentRegion().orElseThrow();
            assertEquals(2 << 20, region.size());
            assertEquals(ByteOrder.LITTLE_ENDIAN, region.buffer().order());
            region.buffer().putLong(0, 0x5354_4d52_0000_0001L);
            region.buffer().putLong((2 << 20) - 8, 0x1122_3344_5566_7788L);
            assertEquals(0x5354_4d52_0000_0001L, m.memory().readLong(region.gpa()));
            assertEquals(0x1122_3344_5566_7788L, m.memory().readLong(region.gpa() + (2 << 20) - 8));
            // Another mapping of the memfd (what a separate process would open) sees the same page.
            long offset = m.guestRam().layout().ramOffsetOf(region.gpa(), 8);
            try (FileChannel ch = FileChannel.open(Path.of(m.guestRam().sharePath()), StandardOpenOption.READ,
                    StandardOpenOption.WRITE)) {
                ByteBuffer view = ch.map(FileChannel.MapMode.READ_WRITE, offset, 4096).order(ByteOrder.LITTLE_ENDIAN);
                assertEquals(0x5354_4d52_0000_0001L, view.getLong(0));
                view.putInt(8, 0xCAFE);
                assertEquals(0xCAFE, region.buffer().getInt(8));
            }
            m.kill();
            m.exit().get(30, TimeUnit.SECONDS);
        }
    }
}
