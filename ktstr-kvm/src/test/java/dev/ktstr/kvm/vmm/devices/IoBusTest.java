package dev.ktstr.kvm.vmm.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.junit.jupiter.api.Test;

/** Port dispatch, the empty-bus value, and the blocking byte queue behind the serial ports. */
class IoBusTest {

    @Test
    void dispatchesByRangeAndFloatsHighElsewhere() {
        IoBus bus = new IoBus();
        CmosRtc cmos = new CmosRtc();
        bus.register(0x70, 2, cmos);
        bus.write(0x70, 1, 0x8A);
        assertEquals(0x0A, bus.read(0x70, 1), "NMI-disable bit dropped from the index");
        assertEquals(0, bus.read(0x71, 1), "CMOS reads 0: update-in-progress never stuck");
        assertEquals(0xFF, bus.read(0x3E8, 1));
        assertEquals(0xFFFF, bus.read(0x3E8, 2));
        assertEquals(-1, bus.read(0xCF8, 4));
        bus.write(0x80, 1, 0);
        assertEquals(4, bus.unclaimedAccesses());
        assertThrows(IllegalArgumentException.class, () -> bus.register(0x71, 1, cmos));
    }

    @Test
    void queueBlocksDrainsAndEnds() throws Exception {
        ByteQueue q = new ByteQueue("test", 4);
        int[] notified = {0};
        q.onData(() -> notified[0]++);
        OutputStream out = q.outputStream();
        InputStream in = q.inputStream();
        Thread writer = new Thread(() -> {
            try {
                out.write("abcdefgh".getBytes());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        byte[] got = in.readNBytes(8);
        writer.join(5000);
        assertEquals("abcdefgh", new String(got));
        assertEquals(true, notified[0] >= 2, "writes larger than the queue arrive in pieces");
        out.write('z');
        q.close();
        assertEquals('z', in.read(), "readers drain what is left");
        assertEquals(-1, in.read());
        assertThrows(IOException.class, () -> out.write('y'));
    }
}
