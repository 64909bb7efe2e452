package dev.ktstr.kvm.vmm.acpi;

/**
 * Fixed ACPI Description Table, revision 6 (ACPI 6.5 5.2.9, Table 5.9, 276 bytes). Describes a
 * legacy (not hardware-reduced) platform with just enough fixed hardware for a clean power cycle:
 * PM1a event and control blocks in I/O space, the SCI on IRQ 9, a fixed-feature power button (so the
 * host can ask the guest to power off), a reset register, and no SMI command port (so the OS finds
 * the machine already in ACPI mode). Boot architecture flags say there is no VGA, no CMOS RTC, no
 * 8042 keyboard controller and no MSI, which spares the guest probing for them. The FACS is given
 * only in the 32-bit FIRMWARE_CTRL (the spec requires X_FIRMWARE_CTRL to be zero then); the DSDT in
 * both DSDT and X_DSDT.
 */
public final class Fadt {

    public static final int SIZE = 276;
    public static final int REVISION = 6;
    public static final int MINOR_REVISION = 5;

    /** Flags (Table 5.10). */
    public static final int FLAG_WBINVD = 1;
    public static final int FLAG_PROC_C1 = 1 << 2;
    public static final int FLAG_SLP_BUTTON = 1 << 5;
    public static final int FLAG_FIX_RTC = 1 << 6;
    public static final int FLAG_RESET_REG_SUP = 1 << 10;
    public static final int FLAG_HEADLESS = 1 << 12;
    public static final int FLAGS = FLAG_WBINVD | FLAG_PROC_C1 | FLAG_SLP_BUTTON | FLAG_FIX_RTC | FLAG_RESET_REG_SUP
            | FLAG_HEADLESS;

    /** IA-PC boot architecture flags (Table 5.11). */
    public static final int BOOT_ARCH_LEGACY_DEVICES = 1;
    public static final int BOOT_ARCH_VGA_NOT_PRESENT = 1 << 2;
    public static final int BOOT_ARCH_MSI_NOT_SUPPORTED = 1 << 3;
    public static final int BOOT_ARCH_CMOS_RTC_NOT_PRESENT = 1 << 5;
    public static final int BOOT_ARCH = BOOT_ARCH_LEGACY_DEVICES | BOOT_ARCH_VGA_NOT_PRESENT
            | BOOT_ARCH_MSI_NOT_SUPPORTED | BOOT_ARCH_CMOS_RTC_NOT_PRESENT;

    public static final int OFF_FIRMWARE_CTRL = 36;
    public static final int OFF_DSDT = 40;
    public static final int OFF_SCI_INT = 46;
    public static final int OFF_PM1A_EVT_BLK = 56;
    public static final int OFF_PM1A_CNT_BLK = 64;
    public static final int OFF_FLAGS = 112;
    public static final int OFF_RESET_REG = 116;
    public static final int OFF_X_DSDT = 140;

    private Fadt() {}

    public static byte[] build(long facsAddress, long dsdtAddress) {
        TableWriter w = TableWriter.withHeader();
        w.u32(facsAddress) // 36 FIRMWARE_CTRL
                .u32(dsdtAddress) // 40 DSDT
                .u8(0) // 44 reserved
                .u8(0) // 45 Preferred_PM_Profile: unspecified
                .u16(AcpiHardware.SCI_IRQ) // 46 SCI_INT
                .u32(0) // 48 SMI_CMD: none, ACPI mode is always on
                .u8(0).u8(0).u8(0).u8(0) // 52 ACPI_ENABLE, ACPI_DISABLE, S4BIOS_REQ, PSTATE_CNT
                .u32(AcpiHardware.PM1A_EVT_BLK) // 56
                .u32(0) // 60 PM1b_EVT_BLK
                .u32(AcpiHardware.PM1A_CNT_BLK) // 64
                .u32(0) // 68 PM1b_CNT_BLK
                .u32(0) // 72 PM2_CNT_BLK
                .u32(0) // 76 PM_TMR_BLK: none (the guest uses kvm-clock/TSC)
                .u32(0).u32(0) // 80 GPE0_BLK, 84 GPE1_BLK
                .u8(AcpiHardware.PM1_EVT_LEN) // 88
                .u8(AcpiHardware.PM1_CNT_LEN) // 89
                .u8(0).u8(0) // 90 PM2_CNT_LEN, 91 PM_TMR_LEN
                .u8(0).u8(0).u8(0) // 92 GPE0_BLK_LEN, 93 GPE1_BLK_LEN, 94 GPE1_BASE
                .u8(0) // 95 CST_CNT
                .u16(101).u16(1001) // 96 P_LVL2_LAT, 98 P_LVL3_LAT: C2/C3 not supported
                .u16(0).u16(0) // 100 FLUSH_SIZE, 102 FLUSH_STRIDE
                .u8(0).u8(0) // 104 DUTY_OFFSET, 105 DUTY_WIDTH
                .u8(0).u8(0).u8(0) // 106 DAY_ALRM, 107 MON_ALRM, 108 CENTURY
                .u16(BOOT_ARCH) // 109 IAPC_BOOT_ARCH
                .u8(0) // 111 reserved
                .u32(FLAGS) // 112 Flags
                .gasIo(8, 1, AcpiHardware.RESET_PORT) // 116 RESET_REG
                .u8(AcpiHardware.RESET_VALUE) // 128 RESET_VALUE
                .u16(0) // 129 ARM_BOOT_ARCH
                .u8(MINOR_REVISION) // 131 FADT Minor Version
                .u64(0) // 132 X_FIRMWARE_CTRL: must be zero when FIRMWARE_CTRL is set
                .u64(dsdtAddress) // 140 X_DSDT
                .gasIo(AcpiHardware.PM1_EVT_LEN * 8, 2, AcpiHardware.PM1A_EVT_BLK) // 148 X_PM1a_EVT_BLK
                .gasIo(0, 0, 0) // 160 X_PM1b_EVT_BLK
                .gasIo(AcpiHardware.PM1_CNT_LEN * 8, 2, AcpiHardware.PM1A_CNT_BLK) // 172 X_PM1a_CNT_BLK
                .gasIo(0, 0, 0) // 184 X_PM1b_CNT_BLK
                .gasIo(0, 0, 0) // 196 X_PM2_CNT_BLK
                .gasIo(0, 0, 0) // 208 X_PM_TMR_BLK
                .gasIo(0, 0, 0) // 220 X_GPE0_BLK
                .gasIo(0, 0, 0) // 232 X_GPE1_BLK
                .gasIo(0, 0, 0) // 244 SLEEP_CONTROL_REG
                .gasIo(0, 0, 0) // 256 SLEEP_STATUS_REG
                .u64(0); // 268 Hypervisor Vendor Identity
        if (w.size() != SIZE) {
            throw new IllegalStateException("FADT is " + w.size() + " bytes, expected " + SIZE);
        }
        return w.finish("FACP", REVISION);
    }
}
