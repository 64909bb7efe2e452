package dev.ktstr.kvm.vmm.acpi;

/**
 * The fixed ACPI hardware the tables describe and {@code devices.AcpiPm} emulates (ACPI 6.5 4.8
 * "ACPI Hardware Model", legacy (not hardware-reduced) profile): a PM1a event block (status and
 * enable, 2 bytes each), a PM1a control block, the SCI on ISA IRQ 9, a reset register, and the
 * sleep-type value of S5 that the DSDT's {@code \_S5} package gives.
 */
public final class AcpiHardware {

    public static final int PM1A_EVT_BLK = 0x600;
    public static final int PM1_EVT_LEN = 4;
    public static final int PM1A_CNT_BLK = 0x604;
    public static final int PM1_CNT_LEN = 2;
    public static final int SCI_IRQ = 9;
    public static final int RESET_PORT = 0xCF9;
    /** Written to the reset register: "hard reset" (bit 1) + "reset CPU" (bit 2), as on PIIX/ICH. */
    public static final int RESET_VALUE = 0x06;
    /** SLP_TYPx for S5 (soft off); PM1 control bits 10–12. */
    public static final int SLP_TYP_S5 = 5;

    /** PM1 status/enable bits (ACPI 6.5 4.8.3.1, Tables 4.16/4.17). */
    public static final int PM1_PWRBTN = 1 << 8;
    public static final int PM1_WAK_STS = 1 << 15;
    /** PM1 control bits (ACPI 6.5 4.8.3.2.1, Table 4.18). */
    public static final int PM1_CNT_SCI_EN = 1;
    public static final int PM1_CNT_SLP_TYP_SHIFT = 10;
    public static final int PM1_CNT_SLP_EN = 1 << 13;

    public static final long LAPIC_ADDRESS = 0xFEE0_0000L;
    public static final long IOAPIC_ADDRESS = 0xFEC0_0000L;
    public static final int IOAPIC_ID = 0;
    public static final int IOAPIC_PINS = 24;

    private AcpiHardware() {}
}
