package dev.ktstr.kvm.vmm.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PC16550D register behaviour as Linux's 8250 driver probes and drives it. */
class Serial16550Test {

    private final List<Boolean> edges = new ArrayList<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteQueue rx = new ByteQueue("rx", 64);
    private final Serial16550 uart = new Serial16550(edges::add, out::write, rx);

    private int in(int reg) {
        return uart.read(reg, 1);
    }

    private void out(int reg, int v) {
        uart.write(reg, 1, v);
    }

    @Test
    void linuxAutoconfigFindsA16550A() {
        out(1, 0);
        assertEquals(0, in(1), "IER reads back");
        out(7, 0xA5);
        assertEquals(0xA5, in(7), "scratch register");
        // Loopback test: MCR = LOOP | OUT2 | RTS -> MSR upper nibble 0x90 (DCD | CTS).
        out(4, 0x10 | 0x0A);
        assertEquals(0x90, in(6) & 0xF0);
        out(4, 0x1F);
        assertEquals(0xF0, in(6) & 0xF0);
        out(4, 0x0B);
        out(2, 0x01);
        assertEquals(0xC0, in(2) & 0xC0, "FIFO enabled: 16550A");
        out(3, 0x80);
        out(0, 0x01);
        out(1, 0x00);
        assertEquals(0x01, in(0), "divisor latch");
        out(3, 0x03);
    }

    @Test
    void transmitGoesToTheSinkAndRaisesThreInterruptWhenEnabled() {
        out(0, 'h');
        out(0, 'i');
        assertEquals("hi", out.toString());
        assertEquals(0x60, in(5) & 0x60, "THRE and TEMT always set");
        assertTrue(edges.isEmpty(), "no interrupt while IER is zero");
        out(1, 0x02);
        assertEquals(List.of(true), edges, "enabling THRI with THR empty interrupts at once");
        assertEquals(0x02, in(2) & 0x0F, "IIR says THR empty");
        assertEquals(List.of(true, false), edges, "reading IIR acknowledges THRI");
        assertEquals(0x01, in(2) & 0x0F, "no interrupt pending");
        out(0, '!');
        assertEquals(List.of(true, false, true), edges);
    }

    @Test
    void receivedBytesRaiseTheLineUntilDrained() throws Exception {
        out(1, 0x01);
        assertTrue(edges.isEmpty());
        rx.write(new byte[] {'a', 'b'}, 0, 2);
        assertEquals(List.of(true), edges, "the queue's listener raised RX");
        assertEquals(0x04, in(2) & 0x0F);
        assertEquals(0x01, in(5) & 0x01, "data ready");
        assertEquals('a', in(0));
        assertEquals('b', in(0));
        assertEquals(0, in(5) & 0x01);
        assertEquals(List.of(true, false), edges);
        rx.write(new byte[] {'c'}, 0, 1);
        assertEquals(List.of(true, false, true), edges, "a new burst is a new edge");
    }

    @Test
    void loopbackEchoesIntoTheReceiver() {
        out(4, 0x10);
        out(0, 'x');
        assertEquals("", out.toString(), "nothing leaves in loopback");
        assertEquals(0x01, in(5) & 0x01);
        assertEquals('x', in(0));
        assertFalse((in(5) & 1) != 0);
    }
}
