package dev.ktstr.kvm.vmm.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The i8042 commands a kernel uses (Linux drivers/input/serio/i8042.h): self-test, CTR, reset. */
class I8042Test {

    private final List<String> resets = new ArrayList<>();
    private final I8042 kbc = new I8042(new PowerEvents() {
        @Override
        public void powerOff(String how) {
            throw new AssertionError("unexpected power off");
        }

        @Override
        public void reset(String how) {
            resets.add(how);
        }
    });

    @Test
    void selfTestAndControllerConfiguration() {
        assertEquals(0, kbc.read(4, 1) & 0x03, "output and input buffers empty");
        kbc.write(4, 1, 0xAA);
        assertEquals(1, kbc.read(4, 1) & 1);
        assertEquals(0x55, kbc.read(0, 1));
        kbc.write(4, 1, 0x60);
        kbc.write(0, 1, 0x47);
        kbc.write(4, 1, 0x20);
        assertEquals(0x47, kbc.read(0, 1));
        kbc.write(0, 1, 0xFF);
        assertEquals(0xFA, kbc.read(0, 1), "keyboard ACK");
        assertEquals(0xAA, kbc.read(0, 1), "keyboard self-test passed");
    }

    @Test
    void pulseResetLineEndsTheMachine() {
        kbc.write(4, 1, 0xFE);
        assertEquals(List.of("i8042 reset"), resets);
        kbc.write(4, 1, 0xD1);
        kbc.write(0, 1, 0x00);
        assertEquals(2, resets.size(), "output port bit 0 low is a reset too");
    }
}
