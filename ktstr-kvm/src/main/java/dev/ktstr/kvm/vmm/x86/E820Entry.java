package dev.ktstr.kvm.vmm.x86;

/**
 * One BIOS e820 memory map entry (Documentation/arch/x86/zero-page.rst {@code e820_table}; ACPI 6.5
 * chapter 15, "System Address Map Interfaces": type 1 RAM, 2 reserved, 3 ACPI reclaimable). The same
 * triple serves PVH's {@code hvm_memmap_table_entry}.
 */
public record E820Entry(long addr, long size, int type) {

    public static final int RAM = 1;
    public static final int RESERVED = 2;
    public static final int ACPI = 3;

    public long end() {
        return addr + size;
    }

    @Override
    public String toString() {
        return String.format("[0x%x, 0x%x) %s", addr, end(), switch (type) {
            case RAM -> "RAM";
            case RESERVED -> "reserved";
            case ACPI -> "ACPI";
            default -> "type " + type;
        });
    }
}
