package dev.ktstr.kvm.vmm.acpi;

/**
 * Firmware ACPI Control Structure, version 2 (ACPI 6.5 5.2.10, Table 5.14, 64 bytes, 64-byte
 * aligned, no checksum): required by a non-hardware-reduced FADT; holds the global lock and waking
 * vectors, all zero here.
 */
public final class Facs {

    public static final int SIZE = 64;
    public static final int VERSION = 2;

    private Facs() {}

    public static byte[] build() {
        TableWriter w = TableWriter.raw();
        w.ascii("FACS", 4).u32(SIZE).u32(0).u32(0).u32(0).u32(0).u64(0).u8(VERSION).zeros(3).u32(0).zeros(24);
        return w.toBytes();
    }
}
