package dev.ktstr.kvm.vmm.acpi;

import dev.ktstr.topology.Topology;

/**
 * Multiple APIC Description Table, revision 5 (ACPI 6.5 5.2.12, Table 5.19). One Processor Local
 * APIC structure (type 0, 5.2.12.2) per CPU whose APIC id fits in 8 bits (below 255), otherwise a
 * Processor Local x2APIC structure (type 9, 5.2.12.12); the IOAPIC (type 1); Interrupt Source
 * Overrides (type 2) for the PIT (ISA IRQ 0 on GSI 2) and the SCI (IRQ 9, level, active high); and the
 * local APIC NMI on LINT1 for all processors (type 4, plus type 0xA when x2APIC entries exist).
 * The ACPI processor UID of CPU {@code n} is {@code n}. Linux without MP-table support finds its CPUs
 * only here.
 */
public final class Madt {

    public static final int REVISION = 5;
    public static final int FLAG_PCAT_COMPAT = 1;
    public static final int TYPE_LOCAL_APIC = 0;
    public static final int TYPE_IO_APIC = 1;
    public static final int TYPE_INTERRUPT_OVERRIDE = 2;
    public static final int TYPE_LOCAL_APIC_NMI = 4;
    public static final int TYPE_LOCAL_X2APIC = 9;
    public static final int TYPE_LOCAL_X2APIC_NMI = 0xA;
    public static final int LAPIC_ENABLED = 1;
    /** MPS INTI flags: polarity active high (01b), trigger level (11b << 2). */
    public static final int INTI_LEVEL_ACTIVE_HIGH = 0x000D;
    public static final int MAX_XAPIC_ID = 254;

    private Madt() {}

    public static byte[] build(Topology topo) {
        TableWriter w = TableWriter.withHeader();
        w.u32(AcpiHardware.LAPIC_ADDRESS).u32(FLAG_PCAT_COMPAT);
        boolean anyX2apic = false;
        for (int cpu = 0; cpu < topo.totalCpus(); cpu++) {
            int apicId = topo.apicIdOf(cpu);
            if (apicId <= MAX_XAPIC_ID && cpu <= 0xFE) {
                w.u8(TYPE_LOCAL_APIC).u8(8).u8(cpu).u8(apicId).u32(LAPIC_ENABLED);
            } else {
                anyX2apic = true;
                w.u8(TYPE_LOCAL_X2APIC).u8(16).u16(0).u32(apicId).u32(LAPIC_ENABLED).u32(cpu);
            }
        }
        w.u8(TYPE_IO_APIC).u8(12).u8(AcpiHardware.IOAPIC_ID).u8(0).u32(AcpiHardware.IOAPIC_ADDRESS).u32(0);
        w.u8(TYPE_INTERRUPT_OVERRIDE).u8(10).u8(0).u8(0).u32(2).u16(0);
        w.u8(TYPE_INTERRUPT_OVERRIDE).u8(10).u8(0).u8(AcpiHardware.SCI_IRQ).u32(AcpiHardware.SCI_IRQ)
                .u16(INTI_LEVEL_ACTIVE_HIGH);
        w.u8(TYPE_LOCAL_APIC_NMI).u8(6).u8(0xFF).u16(0).u8(1);
        if (anyX2apic) {
            w.u8(TYPE_LOCAL_X2APIC_NMI).u8(12).u16(0).u32(0xFFFF_FFFFL).u8(1).zeros(3);
        }
        return w.finish("APIC", REVISION);
    }
}
