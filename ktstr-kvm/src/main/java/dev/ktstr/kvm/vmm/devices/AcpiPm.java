package dev.ktstr.kvm.vmm.devices;

import dev.ktstr.kvm.vmm.acpi.AcpiHardware;

/**
 * The ACPI fixed hardware the FADT promises (ACPI 6.5 4.8.3 "PM1 Event/Control Grouping"): the PM1a
 * event block (status, write-1-to-clear, then enable, 16 bits each), the PM1a control block, and the
 * reset register. Writing SLP_EN with SLP_TYP = S5 powers the machine off; the reset value on the
 * reset register resets it. {@link #pressPowerButton()} sets PWRBTN_STS and raises the SCI (a
 * level-triggered line) while the guest has PWRBTN_EN set, which is how the host asks a guest to shut
 * down.
 */
public final class AcpiPm {

    private final IrqLine sci;
    private final PowerEvents power;
    private int status;
    private int enable;
    private int control = AcpiHardware.PM1_CNT_SCI_EN;
    private boolean sciLevel;
    private boolean pendingPowerOff;
    private boolean pendingReset;

    public AcpiPm(IrqLine sci, PowerEvents power) {
        this.sci = sci;
        this.power = power;
    }

    /** Ports {@link AcpiHardware#PM1A_EVT_BLK}..+3. */
    public PortDevice eventBlock() {
        return new Registers() {
            @Override
            int readByte(int off) {
                int reg = off < 2 ? status : enable;
                return (reg >>> (8 * (off & 1))) & 0xFF;
            }

            @Override
            void writeByte(int off, int v) {
                int shift = 8 * (off & 1);
                if (off < 2) {
                    status &= ~(v << shift);
                } else {
                    enable = (enable & ~(0xFF << shift)) | (v << shift);
                }
                updateSci();
            }
        };
    }

    /** Ports {@link AcpiHardware#PM1A_CNT_BLK}..+1. */
    public PortDevice controlBlock() {
        return new Registers() {
            @Override
            int readByte(int off) {
                return (control >>> (8 * off)) & 0xFF;
            }

            @Override
            void writeByte(int off, int v) {
                int shift = 8 * off;
                int written = (control & ~(0xFF << shift)) | (v << shift);
                control = (written & ~AcpiHardware.PM1_CNT_SLP_EN) | AcpiHardware.PM1_CNT_SCI_EN;
                if (off == 1 && (written & AcpiHardware.PM1_CNT_SLP_EN) != 0) {
                    int slpTyp = (written >>> AcpiHardware.PM1_CNT_SLP_TYP_SHIFT) & 0x7;
                    if (slpTyp == AcpiHardware.SLP_TYP_S5) {
                        pendingPowerOff = true;
                    }
                }
            }
        };
    }

    /** Port {@link AcpiHardware#RESET_PORT}. */
    public PortDevice resetRegister() {
        return new Registers() {
            @Override
            int readByte(int off) {
                return 0;
            }

            @Override
            void writeByte(int off, int v) {
                if ((v & 0x04) != 0) {
                    pendingReset = true;
                }
            }
        };
    }

    /** Presses the fixed-feature power button: PWRBTN_STS, and the SCI if the guest enabled it. */
    public synchronized void pressPowerButton() {
        status |= AcpiHardware.PM1_PWRBTN;
        updateSci();
    }

    private void updateSci() {
        boolean level = (status & enable & AcpiHardware.PM1_PWRBTN) != 0;
        if (level != sciLevel) {
            sciLevel = level;
            sci.set(level);
        }
    }

    /** Byte-wise register access with the end-of-machine events fired outside the lock. */
    private abstract class Registers implements PortDevice {

        abstract int readByte(int off);

        abstract void writeByte(int off, int v);

        @Override
        public int read(int offset, int size) {
            synchronized (AcpiPm.this) {
                int v = 0;
                for (int i = 0; i < size; i++) {
                    v |= readByte(offset + i) << (8 * i);
                }
                return v;
            }
        }

        @Override
        public void write(int offset, int size, int value) {
            boolean off;
            boolean reset;
            synchronized (AcpiPm.this) {
                for (int i = 0; i < size; i++) {
                    writeByte(offset + i, (value >>> (8 * i)) & 0xFF);
                }
                off = pendingPowerOff;
                reset = pendingReset;
                pendingPowerOff = false;
                pendingReset = false;
            }
            if (off) {
                power.powerOff("ACPI S5 (SLP_EN on PM1a control)");
            } else if (reset) {
                power.reset("ACPI reset register");
            }
        }
    }
}
