package dev.ktstr.kvm.vmm.acpi;

import dev.ktstr.kvm.vmm.memory.MemoryLayout;
import dev.ktstr.topology.Topology;

/**
 * System Resource Affinity Table, revision 3 (ACPI 6.5 5.2.16, Table 5.64): for every CPU a
 * Processor Local APIC Affinity (type 0, 5.2.16.1) or, for APIC ids above 254, a Processor Local
 * x2APIC Affinity (type 2, 5.2.16.3), with the proximity domain of its node; for every RAM range a
 * Memory Affinity (type 1, 5.2.16.2) with the node owning it. Proximity domain = node index.
 */
public final class Srat {

    public static final int REVISION = 3;
    public static final int TYPE_LOCAL_APIC_AFFINITY = 0;
    public static final int TYPE_MEMORY_AFFINITY = 1;
    public static final int TYPE_LOCAL_X2APIC_AFFINITY = 2;
    public static final int ENABLED = 1;

    private Srat() {}

    public static byte[] build(Topology topo, MemoryLayout layout) {
        TableWriter w = TableWriter.withHeader();
        w.u32(1).u64(0); // reserved (1 for backward compatibility), reserved
        for (int cpu = 0; cpu < topo.totalCpus(); cpu++) {
            int apicId = topo.apicIdOf(cpu);
            int node = topo.nodeOf(cpu);
            if (apicId <= Madt.MAX_XAPIC_ID) {
                w.u8(TYPE_LOCAL_APIC_AFFINITY).u8(16).u8(node & 0xFF).u8(apicId).u32(ENABLED).u8(0)
                        .u8(node >>> 8).u8(node >>> 16).u8(node >>> 24).u32(0);
            } else {
                w.u8(TYPE_LOCAL_X2APIC_AFFINITY).u8(24).u16(0).u32(node).u32(apicId).u32(ENABLED).u32(0).u32(0);
            }
        }
        for (MemoryLayout.RamRange r : layout.ranges()) {
            w.u8(TYPE_MEMORY_AFFINITY).u8(40).u32(r.node()).u16(0).u64(r.gpa()).u64(r.size()).u32(0).u32(ENABLED)
                    .u64(0);
        }
        return w.finish("SRAT", REVISION);
    }
}
