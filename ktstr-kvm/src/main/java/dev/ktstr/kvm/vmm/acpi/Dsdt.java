package dev.ktstr.kvm.vmm.acpi;

/**
 * Differentiated System Description Table (ACPI 6.5 5.2.11.1) with a minimal AML body (ACPI 6.5
 * chapter 20, "ACPI Machine Language Specification"): only the {@code \_S5} sleep package
 * (7.4.2 "\_Sx (System States)"), which the OS reads to learn the SLP_TYP value that powers the
 * machine off.
 *
 * <pre>
 * Name (\_S5, Package (0x04) { 0x05, 0x05, Zero, Zero })
 * </pre>
 */
public final class Dsdt {

    public static final int REVISION = 2;

    static final int NAME_OP = 0x08;
    static final int ROOT_CHAR = 0x5C;
    static final int PACKAGE_OP = 0x12;
    static final int BYTE_PREFIX = 0x0A;
    static final int ZERO_OP = 0x00;

    private Dsdt() {}

    public static byte[] build() {
        TableWriter w = TableWriter.withHeader();
        w.bytes(s5Package(AcpiHardware.SLP_TYP_S5));
        return w.finish("DSDT", REVISION);
    }

    /** {@code Name (\_S5, Package (4) { typ, typ, Zero, Zero })} in AML. */
    static byte[] s5Package(int slpTyp) {
        byte[] elements = {(byte) BYTE_PREFIX, (byte) slpTyp, (byte) BYTE_PREFIX, (byte) slpTyp, ZERO_OP, ZERO_OP};
        // PkgLength (one byte, < 64) counts itself, NumElements and the elements.
        int pkgLength = 1 + 1 + elements.length;
        TableWriter w = TableWriter.raw();
        w.u8(NAME_OP).u8(ROOT_CHAR).ascii("_S5_", 4).u8(PACKAGE_OP).u8(pkgLength).u8(4).bytes(elements);
        return w.toBytes();
    }
}
