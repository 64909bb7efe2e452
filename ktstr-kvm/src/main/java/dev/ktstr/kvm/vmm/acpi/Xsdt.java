package dev.ktstr.kvm.vmm.acpi;

import java.util.List;

/**
 * Extended and Root System Description Tables (ACPI 6.5 5.2.8 XSDT with 64-bit entries, 5.2.7 RSDT
 * with 32-bit entries): the header followed by the physical addresses of the other tables.
 */
public final class Xsdt {

    public static final int REVISION = 1;

    private Xsdt() {}

    public static byte[] xsdt(List<Long> tables) {
        TableWriter w = TableWriter.withHeader();
        tables.forEach(w::u64);
        return w.finish("XSDT", REVISION);
    }

    public static byte[] rsdt(List<Long> tables) {
        TableWriter w = TableWriter.withHeader();
        for (long t : tables) {
            if (t >= (1L << 32)) {
                throw new IllegalArgumentException("RSDT entries are 32-bit; table at 0x" + Long.toHexString(t));
            }
            w.u32(t);
        }
        return w.finish("RSDT", REVISION);
    }
}
