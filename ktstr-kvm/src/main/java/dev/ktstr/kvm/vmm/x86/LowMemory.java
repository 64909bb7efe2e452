package dev.ktstr.kvm.vmm.x86;

/**
 * Fixed guest-physical addresses of the boot structures the VMM writes below the kernel, chosen to
 * match common x86 VMMs (Firecracker, ktstr): everything below 1 MiB, clear of the real-mode IVT/BDA
 * (0–0x500), and with the ACPI tables in the BIOS area the kernel scans for the RSDP (ACPI 6.5
 * 5.2.5.1: 16-byte boundary in 0xE0000–0xFFFFF).
 */
public final class LowMemory {

    public static final long GDT = 0x500;
    /** GDT entries: null, 32-bit code, 64-bit code, data, 64-bit TSS (two slots). */
    public static final int GDT_ENTRIES = 6;
    public static final long IDT = 0x540;
    public static final long PVH_START_INFO = 0x6000;
    public static final long PVH_MODLIST = 0x6040;
    public static final long PVH_MEMMAP = 0x6080;
    public static final int PVH_MEMMAP_MAX = (int) ((0x7000 - PVH_MEMMAP) / 24);
    public static final long ZERO_PAGE = 0x7000;
    public static final long BOOT_STACK = 0x8ff0;
    public static final long PML4 = 0x9000;
    public static final long PDPT = 0xA000;
    public static final long PD = 0xB000;
    /** Page directories mapping the first 4 GiB with 2 MiB pages. */
    public static final int PD_PAGES = 4;
    public static final long CMDLINE = 0x20000;
    public static final int CMDLINE_MAX = 0x10000;
    public static final long EBDA = 0x9FC00;
    public static final long ACPI_BASE = 0xE0000;
    public static final long BIOS_END = 0x100000;
    public static final long KERNEL_LOAD = 0x100000;
    /** Three pages KVM uses for the real-mode TSS on Intel ({@code KVM_SET_TSS_ADDR}), in the MMIO hole. */
    public static final long KVM_TSS = 0xFFFB_D000L;
    /** One page for the EPT identity map ({@code KVM_SET_IDENTITY_MAP_ADDR}), just below the TSS. */
    public static final long KVM_IDENTITY_MAP = 0xFFFB_C000L;
    public static final long LAPIC_BASE = 0xFEE0_0000L;
    public static final long IOAPIC_BASE = 0xFEC0_0000L;

    private LowMemory() {}
}
