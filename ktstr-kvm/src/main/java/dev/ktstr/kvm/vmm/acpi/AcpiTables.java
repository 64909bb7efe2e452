package dev.ktstr.kvm.vmm.acpi;

import dev.ktstr.kvm.vmm.memory.GuestBlob;
import dev.ktstr.kvm.vmm.memory.MemoryLayout;
import dev.ktstr.topology.NumaDistances;
import dev.ktstr.topology.Topology;
import java.util.ArrayList;
import java.util.List;

/**
 * The complete set of ACPI tables for one VM, laid out from {@code base}: the RSDP first (16-byte
 * aligned, inside the BIOS area the kernel scans), then FACS (64-byte aligned), DSDT, FADT, MADT,
 * SRAT, SLIT, HMAT (multi-node only), XSDT and RSDT, each 16-byte aligned. The XSDT/RSDT list FADT,
 * MADT, SRAT, SLIT and HMAT; the FADT points at FACS and DSDT.
 *
 * @param rsdp   guest-physical address of the RSDP
 * @param tables each table as placed, named by its signature ("RSDP" for the pointer)
 * @param end    first byte after the last table
 */
public record AcpiTables(long rsdp, List<GuestBlob> tables, long end) {

    public AcpiTables {
        tables = List.copyOf(tables);
    }

    public static AcpiTables build(Topology topo, NumaDistances distances, MemoryLayout layout, long base) {
        Placer p = new Placer(base);
        long rsdpAddr = p.reserve(Rsdp.SIZE, 16);
        GuestBlob facs = p.place("FACS", Facs.build(), 64);
        GuestBlob dsdt = p.place("DSDT", Dsdt.build(), 16);
        GuestBlob fadt = p.place("FACP", Fadt.build(facs.gpa(), dsdt.gpa()), 16);
        GuestBlob madt = p.place("APIC", Madt.build(topo), 16);
        GuestBlob srat = p.place("SRAT", Srat.build(topo, layout), 16);
        GuestBlob slit = p.place("SLIT", Slit.build(distances), 16);
        List<Long> listed = new ArrayList<>(List.of(fadt.gpa(), madt.gpa(), srat.gpa(), slit.gpa()));
        GuestBlob hmat = null;
        if (topo.numaNodes() > 1) {
            hmat = p.place("HMAT", Hmat.build(distances), 16);
            listed.add(hmat.gpa());
        }
        GuestBlob xsdt = p.place("XSDT", Xsdt.xsdt(listed), 16);
        GuestBlob rsdt = p.place("RSDT", Xsdt.rsdt(listed), 16);
        GuestBlob rsdp = new GuestBlob("RSDP", rsdpAddr, Rsdp.build(rsdt.gpa(), xsdt.gpa()));
        List<GuestBlob> all = new ArrayList<>(List.of(rsdp, facs, dsdt, fadt, madt, srat, slit));
        if (hmat != null) {
            all.add(hmat);
        }
        all.add(xsdt);
        all.add(rsdt);
        return new AcpiTables(rsdpAddr, all, p.next);
    }

    /** The table with signature {@code sig}. */
    public GuestBlob table(String sig) {
        return tables.stream().filter(t -> t.what().equals(sig)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no ACPI table " + sig));
    }

    private static final class Placer {
        long next;

        Placer(long base) {
            this.next = base;
        }

        long reserve(int size, int align) {
            long at = (next + align - 1) & -(long) align;
            next = at + size;
            return at;
        }

        GuestBlob place(String sig, byte[] bytes, int align) {
            return new GuestBlob(sig, reserve(bytes.length, align), bytes);
        }
    }
}
