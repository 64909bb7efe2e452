package dev.ktstr.kvm.vmm.acpi;

import dev.ktstr.topology.NumaDistances;

/**
 * Heterogeneous Memory Attribute Table, revision 2 (ACPI 6.5 5.2.28, Table 5.147), for machines
 * with more than one node: a Memory Proximity Domain Attributes structure (type 0, 5.2.28.3) per
 * node naming itself as the attached initiator, and two System Locality Latency and Bandwidth
 * Information structures (type 1, 5.2.28.4): access latency and access bandwidth between every
 * initiator and target node, scaled from the SLIT distance (latency × d/10, bandwidth × 10/d).
 */
public final class Hmat {

    public static final int REVISION = 2;
    public static final int TYPE_MPDA = 0;
    public static final int TYPE_SLLBI = 1;
    public static final int MPDA_INITIATOR_VALID = 1;
    public static final int DATA_ACCESS_LATENCY = 0;
    public static final int DATA_ACCESS_BANDWIDTH = 3;
    /** Latency entries in nanoseconds (base unit in picoseconds). */
    public static final long LATENCY_BASE_PS = 1000;
    public static final int LOCAL_LATENCY_NS = 100;
    /** Bandwidth entries in units of 100 MB/s (base unit in MB/s). */
    public static final long BANDWIDTH_BASE_MBPS = 100;
    public static final int LOCAL_BANDWIDTH_UNITS = 512;

    private Hmat() {}

    public static byte[] build(NumaDistances distances) {
        int n = distances.nodes();
        TableWriter w = TableWriter.withHeader();
        w.u32(0); // reserved
        for (int node = 0; node < n; node++) {
            w.u16(TYPE_MPDA).u16(0).u32(40).u16(MPDA_INITIATOR_VALID).u16(0).u32(node).u32(node).u32(0).u64(0).u64(0);
        }
        sllbi(w, distances, DATA_ACCESS_LATENCY, LATENCY_BASE_PS);
        sllbi(w, distances, DATA_ACCESS_BANDWIDTH, BANDWIDTH_BASE_MBPS);
        return w.finish("HMAT", REVISION);
    }

    private static void sllbi(TableWriter w, NumaDistances d, int dataType, long baseUnit) {
        int n = d.nodes();
        int length = 32 + 4 * n + 4 * n + 2 * n * n;
        w.u16(TYPE_SLLBI).u16(0).u32(length).u8(0).u8(dataType).u8(0).u8(0).u32(n).u32(n).u32(0).u64(baseUnit);
        for (int i = 0; i < n; i++) {
            w.u32(i);
        }
        for (int i = 0; i < n; i++) {
            w.u32(i);
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                w.u16(entry(dataType, d.distance(i, j)));
            }
        }
    }

    /** The matrix entry for a pair at SLIT distance {@code distance}. */
    public static int entry(int dataType, int distance) {
        if (dataType == DATA_ACCESS_LATENCY) {
            return LOCAL_LATENCY_NS * distance / 10;
        }
        return LOCAL_BANDWIDTH_UNITS * 10 / distance;
    }
}
