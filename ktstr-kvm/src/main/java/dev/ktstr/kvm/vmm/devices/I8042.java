package dev.ktstr.kvm.vmm.devices;

import java.util.ArrayDeque;

/**
 * The i8042 keyboard controller, reduced to what a kernel touches when no keyboard is attached
 * (IBM PC/AT Technical Reference, "Keyboard Controller"; command set as documented in Linux's
 * drivers/input/serio/i8042.h). Port 0x60 is data, port 0x64 status/command (this device is
 * registered on 0x60–0x64). Command 0xFE (pulse the reset line) is how Linux's {@code reboot=k}
 * resets the machine; it ends the VM as a reset. Self-tests pass, the controller configuration byte
 * reads back, and keyboard commands are acknowledged so a probing driver finishes quickly.
 */
public final class I8042 implements PortDevice {

    public static final int DATA_OFFSET = 0;
    public static final int COMMAND_OFFSET = 4;

    static final int STATUS_OUTPUT_FULL = 0x01;
    static final int STATUS_SYSTEM_FLAG = 0x04;
    static final int STATUS_COMMAND = 0x08;
    static final int STATUS_UNLOCKED = 0x10;

    static final int CMD_READ_CTR = 0x20;
    static final int CMD_WRITE_CTR = 0x60;
    static final int CMD_DISABLE_AUX = 0xA7;
    static final int CMD_ENABLE_AUX = 0xA8;
    static final int CMD_TEST_AUX = 0xA9;
    static final int CMD_SELF_TEST = 0xAA;
    static final int CMD_TEST_KBD = 0xAB;
    static final int CMD_DISABLE_KBD = 0xAD;
    static final int CMD_ENABLE_KBD = 0xAE;
    static final int CMD_READ_OUTPUT_PORT = 0xD0;
    static final int CMD_WRITE_OUTPUT_PORT = 0xD1;
    static final int CMD_PULSE_RESET = 0xFE;

    static final int SELF_TEST_OK = 0x55;
    static final int KBD_ACK = 0xFA;
    static final int KBD_RESET = 0xFF;
    static final int KBD_SELF_TEST_PASSED = 0xAA;

    private final PowerEvents power;
    private final ArrayDeque<Integer> output = new ArrayDeque<>();
    private int ctr = 0x45;
    private int pendingCommand = -1;
    private int status = STATUS_SYSTEM_FLAG | STATUS_UNLOCKED;

    public I8042(PowerEvents power) {
        this.power = power;
    }

    @Override
    public synchronized int read(int offset, int size) {
        if (offset == COMMAND_OFFSET) {
            return status | (output.isEmpty() ? 0 : STATUS_OUTPUT_FULL);
        }
        if (offset == DATA_OFFSET) {
            Integer b = output.poll();
            return b == null ? 0 : b;
        }
        return 0xFF;
    }

    @Override
    public void write(int offset, int size, int value) {
        int v = value & 0xFF;
        boolean reset = false;
        synchronized (this) {
            if (offset == COMMAND_OFFSET) {
                status |= STATUS_COMMAND;
                pendingCommand = -1;
                switch (v) {
                    case CMD_READ_CTR -> output.add(ctr);
                    case CMD_WRITE_CTR, CMD_WRITE_OUTPUT_PORT -> pendingCommand = v;
                    case CMD_SELF_TEST -> output.add(SELF_TEST_OK);
                    case CMD_TEST_KBD -> output.add(0x00);
                    case CMD_TEST_AUX -> output.add(0xFF);
                    case CMD_READ_OUTPUT_PORT -> output.add(0x01);
                    case CMD_PULSE_RESET -> reset = true;
                    default -> {
                        // enable/disable port commands and the rest change nothing we model
                    }
                }
            } else if (offset == DATA_OFFSET) {
                status &= ~STATUS_COMMAND;
                if (pendingCommand == CMD_WRITE_CTR) {
                    ctr = v;
                } else if (pendingCommand == CMD_WRITE_OUTPUT_PORT) {
                    reset = (v & 0x01) == 0;
                } else {
                    output.add(KBD_ACK);
                    if (v == KBD_RESET) {
                        output.add(KBD_SELF_TEST_PASSED);
                    }
                }
                pendingCommand = -1;
            }
        }
        if (reset) {
            power.reset("i8042 reset");
        }
    }
}
