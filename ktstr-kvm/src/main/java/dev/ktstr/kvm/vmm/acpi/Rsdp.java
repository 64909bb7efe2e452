package dev.ktstr.kvm.vmm.acpi;

/**
 * Root System Description Pointer, revision 2 (ACPI 6.5 5.2.5.3, Table 5.3, 36 bytes): "RSD PTR ",
 * checksum over the first 20 bytes, OEM id, revision 2, RSDT address, length, XSDT address, and an
 * extended checksum over all 36 bytes.
 */
public final class Rsdp {

    public static final int SIZE = 36;
    public static final int REVISION = 2;

    private Rsdp() {}

    public static byte[] build(long rsdtAddress, long xsdtAddress) {
        TableWriter w = TableWriter.raw();
        w.ascii("RSD PTR ", 8).u8(0).ascii(TableWriter.OEM_ID, 6).u8(REVISION).u32(rsdtAddress).u32(SIZE)
                .u64(xsdtAddress).u8(0).zeros(3);
        byte[] b = w.toBytes();
        b[8] = TableWriter.checksum(b, 0, 20);
        b[32] = TableWriter.checksum(b, 0, SIZE);
        return b;
    }
}
