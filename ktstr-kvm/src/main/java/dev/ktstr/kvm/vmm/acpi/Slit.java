package dev.ktstr.kvm.vmm.acpi;

import dev.ktstr.topology.NumaDistances;

/**
 * System Locality Information Table, revision 1 (ACPI 6.5 5.2.17, Table 5.70): the number of
 * localities and the N×N relative distance matrix, one byte each (10 = local).
 */
public final class Slit {

    public static final int REVISION = 1;

    private Slit() {}

    public static byte[] build(NumaDistances distances) {
        int n = distances.nodes();
        TableWriter w = TableWriter.withHeader();
        w.u64(n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                w.u8(distances.distance(i, j));
            }
        }
        return w.finish("SLIT", REVISION);
    }
}
