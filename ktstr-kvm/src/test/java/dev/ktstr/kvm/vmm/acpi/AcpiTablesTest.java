package dev.ktstr.kvm.vmm.acpi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.kvm.vmm.memory.GuestBlob;
import dev.ktstr.kvm.vmm.memory.MemoryLayout;
import dev.ktstr.topology.NumaDistances;
import dev.ktstr.topology.Topology;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Byte-exact checks of every table against ACPI 6.5 chapter 5 (section named per test). */
class AcpiTablesTest {

    private static final Topology ODD = Topology.parse("1n3l3c1t");
    private static final Topology NUMA = Topology.parse("2n2l2c2t");

    static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    static MemoryLayout layout(long... nodeMb) {
        long[] bytes = new long[nodeMb.length];
        for (int i = 0; i < nodeMb.length; i++) {
            bytes[i] = nodeMb[i] << 20;
        }
        return MemoryLayout.of(bytes, 0);
    }

    static void assertHeader(byte[] t, String sig, int revision) {
        ByteBuffer b = le(t);
        assertEquals(sig, new String(t, 0, 4, StandardCharsets.US_ASCII));
        assertEquals(t.length, b.getInt(4), "length field");
        assertEquals(revision, t[8]);
        assertEquals(0, TableWriter.sum(t, 0, t.length), "checksum");
        assertEquals("KTSTR ", new String(t, 10, 6, StandardCharsets.US_ASCII));
        assertEquals("KTSTRVMM", new String(t, 16, 8, StandardCharsets.US_ASCII));
        assertEquals(1, b.getInt(24));
        assertEquals("KTSR", new String(t, 28, 4, StandardCharsets.US_ASCII));
        assertEquals(1, b.getInt(32));
    }

    /** ACPI 6.5 5.2.5.3: RSDP revision 2, both checksums. */
    @Test
    void rsdp() {
        byte[] r = Rsdp.build(0xE0380, 0xE0330);
        assertEquals(36, r.length);
        ByteBuffer b = le(r);
        assertEquals("RSD PTR ", new String(r, 0, 8, StandardCharsets.US_ASCII));
        assertEquals(0, TableWriter.sum(r, 0, 20));
        assertEquals(0, TableWriter.sum(r, 0, 36));
        assertEquals("KTSTR ", new String(r, 9, 6, StandardCharsets.US_ASCII));
        assertEquals(2, r[15]);
        assertEquals(0xE0380, b.getInt(16));
        assertEquals(36, b.getInt(20));
        assertEquals(0xE0330L, b.getLong(24));
        assertArrayEquals(new byte[3], java.util.Arrays.copyOfRange(r, 33, 36));
    }

    /** ACPI 6.5 5.2.7/5.2.8: RSDT with 32-bit, XSDT with 64-bit entries. */
    @Test
    void rsdtAndXsdt() {
        List<Long> t = List.of(0xE00C0L, 0xE01E0L);
        byte[] x = Xsdt.xsdt(t);
        assertHeader(x, "XSDT", 1);
        assertEquals(36 + 16, x.length);
        assertEquals(0xE00C0L, le(x).getLong(36));
        assertEquals(0xE01E0L, le(x).getLong(44));
        byte[] r = Xsdt.rsdt(t);
        assertHeader(r, "RSDT", 1);
        assertEquals(36 + 8, r.length);
        assertEquals(0xE01E0, le(r).getInt(40));
    }

    /** ACPI 6.5 5.2.10, Table 5.14. */
    @Test
    void facs() {
        byte[] f = Facs.build();
        assertEquals(64, f.length);
        assertEquals("FACS", new String(f, 0, 4, StandardCharsets.US_ASCII));
        assertEquals(64, le(f).getInt(4));
        assertEquals(2, f[32], "version");
    }

    /** ACPI 6.5 5.2.9, Table 5.9: the fields the OS reads, at their offsets. */
    @Test
    void fadt() {
        byte[] f = Fadt.build(0xE0040, 0xE0080);
        assertHeader(f, "FACP", 6);
        assertEquals(276, f.length);
        ByteBuffer b = le(f);
        assertEquals(0xE0040, b.getInt(36));
        assertEquals(0xE0080, b.getInt(40));
        assertEquals(9, b.getShort(46), "SCI_INT");
        assertEquals(0, b.getInt(48), "SMI_CMD: ACPI mode always on");
        assertEquals(0x600, b.getInt(56));
        assertEquals(0x604, b.getInt(64));
        assertEquals(0, b.getInt(76), "no PM timer");
        assertEquals(4, f[88]);
        assertEquals(2, f[89]);
        assertEquals(0x2D, b.getShort(109), "legacy devices, no VGA, no MSI, no CMOS RTC, no 8042");
        assertEquals(0x1465, b.getInt(112), "WBINVD|PROC_C1|SLP_BUTTON|FIX_RTC|RESET_REG_SUP|HEADLESS");
        assertArrayEquals(HexFormat.of().parseHex("01080001f90c000000000000"), java.util.Arrays.copyOfRange(f, 116, 128),
                "RESET_REG: system I/O, 8 bits, byte access, port 0xCF9");
        assertEquals(6, f[128]);
        assertEquals(5, f[131], "FADT minor version");
        assertEquals(0, b.getLong(132), "X_FIRMWARE_CTRL zero: FIRMWARE_CTRL holds the FACS");
        assertEquals(0xE0080L, b.getLong(140));
        assertArrayEquals(HexFormat.of().parseHex("012000020006000000000000"), java.util.Arrays.copyOfRange(f, 148, 160));
        assertArrayEquals(HexFormat.of().parseHex("011000020406000000000000"), java.util.Arrays.copyOfRange(f, 172, 184));
        assertEquals(0, (b.getInt(112) & (1 << 4)), "PWR_BUTTON clear: fixed-feature power button present");
        assertEquals(0, (b.getInt(112) & (1 << 20)), "not hardware-reduced");
    }

    /** ACPI 6.5 5.2.11.1 and 20.2: Name (\_S5, Package (4) {5, 5, 0, 0}). */
    @Test
    void dsdt() {
        byte[] d = Dsdt.build();
        assertHeader(d, "DSDT", 2);
        assertArrayEquals(HexFormat.of().parseHex("085c5f53355f1208040a050a050000"),
                java.util.Arrays.copyOfRange(d, 36, d.length));
    }

    /** ACPI 6.5 5.2.12: local APICs in CPU order, IOAPIC, overrides, NMI. */
    @Test
    void madtForSparseApicIds() {
        byte[] m = Madt.build(ODD);
        assertHeader(m, "APIC", 5);
        ByteBuffer b = le(m);
        assertEquals(0xFEE00000, b.getInt(36));
        assertEquals(1, b.getInt(40), "PCAT_COMPAT");
        int[] ids = {0, 1, 2, 4, 5, 6, 8, 9, 10};
        int off = 44;
        for (int cpu = 0; cpu < 9; cpu++) {
            assertArrayEquals(new byte[] {0, 8, (byte) cpu, (byte) ids[cpu], 1, 0, 0, 0},
                    java.util.Arrays.copyOfRange(m, off, off + 8), "CPU " + cpu);
            off += 8;
        }
        assertArrayEquals(HexFormat.of().parseHex("010c00000000c0fe00000000"), java.util.Arrays.copyOfRange(m, off,
                off + 12), "IOAPIC id 0 at 0xFEC00000, GSI base 0");
        off += 12;
        assertArrayEquals(HexFormat.of().parseHex("020a0000020000000000"), java.util.Arrays.copyOfRange(m, off,
                off + 10), "ISA IRQ 0 -> GSI 2");
        off += 10;
        assertArrayEquals(HexFormat.of().parseHex("020a0009090000000d00"), java.util.Arrays.copyOfRange(m, off,
                off + 10), "SCI: IRQ 9, level, active high");
        off += 10;
        assertArrayEquals(HexFormat.of().parseHex("0406ff000001"), java.util.Arrays.copyOfRange(m, off, off + 6));
        assertEquals(m.length, off + 6);
    }

    /** ACPI 6.5 5.2.12.12: APIC ids above 254 use x2APIC structures and the x2APIC NMI. */
    @Test
    void madtUsesX2apicAbove254() {
        Topology max = Topology.parse("1n14l9c2t");
        byte[] m = Madt.build(max);
        int lapic = 0;
        int x2apic = 0;
        int x2nmi = 0;
        for (int off = 44; off < m.length; off += m[off + 1] & 0xFF) {
            switch (m[off]) {
                case 0 -> lapic++;
                case 9 -> {
                    x2apic++;
                    assertTrue(le(m).getInt(off + 4) > 254);
                }
                case 0xA -> x2nmi++;
                default -> { }
            }
        }
        assertEquals(max.totalCpus(), lapic + x2apic);
        assertTrue(x2apic > 0);
        assertEquals(1, x2nmi);
    }

    /** ACPI 6.5 5.2.16: header reserved = 1, CPU and memory affinity structures. */
    @Test
    void srat() {
        MemoryLayout l = layout(512, 512);
        byte[] s = Srat.build(NUMA, l);
        assertHeader(s, "SRAT", 3);
        assertEquals(1, le(s).getInt(36));
        // CPU 4 is the first CPU of node 1 (llc 1): APIC id 4.
        int cpu4 = 48 + 4 * 16;
        assertArrayEquals(HexFormat.of().parseHex("0010010401000000000000000000" + "0000"),
                java.util.Arrays.copyOfRange(s, cpu4, cpu4 + 16));
        int mem1 = 48 + 8 * 16 + 40;
        assertArrayEquals(HexFormat.of().parseHex("0128" + "01000000" + "0000" + "0000002000000000" + "0000002000000000"
                + "00000000" + "01000000" + "0000000000000000"), java.util.Arrays.copyOfRange(s, mem1, mem1 + 40));
        assertEquals(48 + 8 * 16 + 2 * 40, s.length);
    }

    /** A node crossing the 3 GiB hole gets one memory affinity per side. */
    @Test
    void sratSplitsANodeAtTheHole() {
        MemoryLayout l = layout(2048, 2048);
        byte[] s = Srat.build(NUMA, l);
        int mem = 48 + 8 * 16;
        ByteBuffer b = le(s);
        assertEquals(3, (s.length - mem) / 40);
        assertEquals(1, b.getInt(mem + 40 + 2));
        assertEquals(0x8000_0000L, b.getLong(mem + 40 + 8));
        assertEquals(0x4000_0000L, b.getLong(mem + 40 + 16));
        assertEquals(1, b.getInt(mem + 80 + 2));
        assertEquals(0x1_0000_0000L, b.getLong(mem + 80 + 8));
        assertEquals(0x4000_0000L, b.getLong(mem + 80 + 16));
    }

    /** ACPI 6.5 5.2.17. */
    @Test
    void slit() {
        NumaDistances d = NumaDistances.of(new int[][] {{10, 21, 31}, {21, 10, 21}, {31, 21, 10}});
        byte[] s = Slit.build(d);
        assertHeader(s, "SLIT", 1);
        assertEquals(3L, le(s).getLong(36));
        assertArrayEquals(new byte[] {10, 21, 31, 21, 10, 21, 31, 21, 10}, java.util.Arrays.copyOfRange(s, 44, 53));
    }

    /** ACPI 6.5 5.2.28: MPDA per node, latency and bandwidth matrices scaled by distance. */
    @Test
    void hmat() {
        byte[] h = Hmat.build(NumaDistances.uniform(2));
        assertHeader(h, "HMAT", 2);
        ByteBuffer b = le(h);
        int off = 40;
        for (int n = 0; n < 2; n++) {
            assertEquals(0, b.getShort(off));
            assertEquals(40, b.getInt(off + 4));
            assertEquals(1, b.getShort(off + 8));
            assertEquals(n, b.getInt(off + 12));
            assertEquals(n, b.getInt(off + 16));
            off += 40;
        }
        int[] wantType = {0, 3};
        long[] wantBase = {1000, 100};
        int[][] wantEntries = {{100, 200, 200, 100}, {512, 256, 256, 512}};
        for (int k = 0; k < 2; k++) {
            assertEquals(1, b.getShort(off));
            assertEquals(32 + 8 + 8 + 8, b.getInt(off + 4));
            assertEquals(wantType[k], h[off + 9]);
            assertEquals(2, b.getInt(off + 12));
            assertEquals(2, b.getInt(off + 16));
            assertEquals(wantBase[k], b.getLong(off + 24));
            for (int i = 0; i < 4; i++) {
                assertEquals(wantEntries[k][i], b.getShort(off + 32 + 16 + 2 * i));
            }
            off += 56;
        }
        assertEquals(h.length, off);
    }

    /** The assembled set: RSDP in the scanned BIOS area, alignment, no overlap, pointers consistent. */
    @Test
    void assembledTablesPointAtEachOther() {
        AcpiTables t = AcpiTables.build(NUMA, NUMA.distances(), layout(512, 512), 0xE0000);
        assertEquals(0xE0000, t.rsdp());
        assertTrue(t.end() <= 0x100000);
        List<GuestBlob> all = t.tables();
        for (int i = 1; i < all.size(); i++) {
            assertTrue(all.get(i).gpa() >= all.get(i - 1).end(), "tables do not overlap");
            assertEquals(0, all.get(i).gpa() % 16);
        }
        assertEquals(0, t.table("FACS").gpa() % 64);
        ByteBuffer rsdp = le(t.table("RSDP").bytes());
        assertEquals(t.table("RSDT").gpa(), rsdp.getInt(16));
        assertEquals(t.table("XSDT").gpa(), rsdp.getLong(24));
        ByteBuffer fadt = le(t.table("FACP").bytes());
        assertEquals(t.table("FACS").gpa(), fadt.getInt(36));
        assertEquals(t.table("DSDT").gpa(), fadt.getLong(140));
        ByteBuffer xsdt = le(t.table("XSDT").bytes());
        List<String> listed = List.of("FACP", "APIC", "SRAT", "SLIT", "HMAT");
        assertEquals(36 + 8 * listed.size(), xsdt.capacity());
        for (int i = 0; i < listed.size(); i++) {
            assertEquals(t.table(listed.get(i)).gpa(), xsdt.getLong(36 + 8 * i));
        }
        AcpiTables single = AcpiTables.build(ODD, ODD.distances(), layout(256), 0xE0000);
        assertTrue(single.tables().stream().noneMatch(g -> g.what().equals("HMAT")), "no HMAT for one node");
    }
}
