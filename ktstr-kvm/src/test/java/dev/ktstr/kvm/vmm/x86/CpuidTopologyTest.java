package dev.ktstr.kvm.vmm.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.kvm.vmm.kvm.CpuidEntry;
import dev.ktstr.topology.Topology;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * Intel SDM Vol. 2A CPUID leaves 01H, 04H, 0BH/1FH; AMD APM Vol. 3 8000_0001h/0008h/001Dh/001Eh;
 * KVM cpuid.rst 4000_0000h, over synthetic Intel and AMD bases.
 */
class CpuidTopologyTest {

    /** "GenuineIntel" / "AuthenticAMD" in EBX, EDX, ECX. */
    static CpuidEntry vendor(String v, int maxLeaf) {
        int[] r = new int[3];
        for (int i = 0; i < 12; i++) {
            r[i / 4] |= (v.charAt(i) & 0xFF) << (8 * (i % 4));
        }
        return new CpuidEntry(0, 0, 0, maxLeaf, r[0], r[2], r[1]);
    }

    static List<CpuidEntry> intelBase() {
        return List.of(vendor("GenuineIntel", 0x1F), new CpuidEntry(1, 0, 0, 0x906A3, 0x0000_0800, 0x80200000, 0x0),
                new CpuidEntry(4, 0, 1, 0x121, 0, 0, 0), new CpuidEntry(4, 1, 1, 0x122, 0, 0, 0),
                new CpuidEntry(4, 2, 1, 0x143, 0, 0, 0), new CpuidEntry(4, 3, 1, 0x163, 0, 0, 0),
                new CpuidEntry(4, 4, 1, 0, 0, 0, 0), new CpuidEntry(0xA, 0, 0, 0x07300805, 0, 0, 0x603),
                new CpuidEntry(0xB, 0, 1, 1, 2, 0x100, 7), new CpuidEntry(0x4000_0000, 0, 0, 0x4000_0001, 0, 0, 0),
                new CpuidEntry(0x8000_0008, 0, 0, 0x3030, 0, 0, 0));
    }

    static CpuidEntry leaf(List<CpuidEntry> l, int f, int i) {
        return l.stream().filter(e -> e.function() == f && e.index() == i).findFirst()
                .orElseThrow(() -> new AssertionError(String.format("no leaf 0x%x.%d", f, i)));
    }

    @Test
    void intelTopologyLeaves() {
        Topology t = Topology.parse("1n3l3c2t"); // smt shift 1, core shift 3
        int cpu = 15; // llc 2, core 1, thread 1 -> apic 2<<3 | 1<<1 | 1 = 19
        assertEquals(19, t.apicIdOf(cpu));
        List<CpuidEntry> c = CpuidTopology.forCpu(intelBase(), t, cpu, OptionalInt.of(2_600_000));
        CpuidEntry l1 = leaf(c, 1, 0);
        assertEquals(19, l1.ebx() >>> 24, "initial APIC id");
        assertEquals(6, (l1.ebx() >>> 16) & 0xFF, "logical processors per package (LLC)");
        assertEquals(0x0800, l1.ebx() & 0xFFFF, "CLFLUSH size kept");
        assertTrue((l1.edx() & (1 << 28)) != 0, "HTT");
        assertEquals(1, (leaf(c, 4, 0).eax() >>> 14) & 0xFFF, "L1d shared by the SMT pair");
        assertEquals(1, (leaf(c, 4, 2).eax() >>> 14) & 0xFFF, "L2 per core");
        assertEquals(7, (leaf(c, 4, 3).eax() >>> 14) & 0xFFF, "L3 per LLC: 2^3 - 1");
        assertEquals(3, leaf(c, 4, 3).eax() >>> 26, "cores per package - 1 (2^2 - 1)");
        assertEquals(0x163, leaf(c, 4, 3).eax() & 0x3FFF, "cache type and level kept");
        assertEquals(0, leaf(c, 4, 4).eax(), "null cache type untouched");
        assertEquals(new CpuidEntry(0xB, 0, 1, 1, 2, 0x100, 19), leaf(c, 0xB, 0));
        assertEquals(new CpuidEntry(0xB, 1, 1, 3, 6, 0x201, 19), leaf(c, 0xB, 1));
        assertEquals(new CpuidEntry(0xB, 2, 1, 0, 0, 2, 19), leaf(c, 0xB, 2));
        assertEquals(new CpuidEntry(0x1F, 1, 1, 3, 6, 0x201, 19), leaf(c, 0x1F, 1));
        assertEquals(new CpuidEntry(0xA, 0, 0, 0, 0, 0, 0), leaf(c, 0xA, 0), "no PMU");
        assertEquals(0x3005, leaf(c, 0x8000_0008, 0).ecx(), "ApicIdSize 3, NC 5");
        CpuidEntry hv = leaf(c, 0x4000_0000, 0);
        assertEquals(0x4000_0010, hv.eax());
        assertEquals("KVMKVMKVM", ascii(hv.ebx()) + ascii(hv.ecx()) + ascii(hv.edx()).trim());
        assertEquals(new CpuidEntry(0x4000_0010, 0, 0, 2_600_000, 1_000_000, 0, 0), leaf(c, 0x4000_0010, 0));
        assertEquals(c.stream().filter(e -> e.function() == 0xB).count(), 3, "KVM's own 0xB entries replaced");
    }

    @Test
    void withoutTscFrequencyTheLeafIsAbsent() {
        List<CpuidEntry> c = CpuidTopology.forCpu(intelBase(), Topology.parse("1n1l1c1t"), 0, OptionalInt.empty());
        assertEquals(0x4000_0001, leaf(c, 0x4000_0000, 0).eax());
        assertTrue(c.stream().noneMatch(e -> e.function() == 0x4000_0010));
        assertEquals(0, leaf(c, 1, 0).edx() & (1 << 28), "no HTT with one logical processor");
    }

    @Test
    void amdTopologyLeaves() {
        List<CpuidEntry> base = List.of(vendor("AuthenticAMD", 0x7), new CpuidEntry(1, 0, 0, 0, 0, 0, 0),
                new CpuidEntry(0x8000_0001, 0, 0, 0, 0, 0, 0),
                new CpuidEntry(0x8000_001D, 3, 1, 0x163, 0, 0, 0),
                new CpuidEntry(0x8000_001E, 0, 0, 0, 0, 0, 0));
        Topology t = Topology.parse("2n4l2c2t");
        int cpu = 13; // llc 3 (node 1), core 0, thread 1 -> apic 3<<2 | 0 | 1 = 13
        List<CpuidEntry> c = CpuidTopology.forCpu(base, t, cpu, OptionalInt.empty());
        assertTrue(CpuidTopology.isAmd(base));
        assertEquals(0x0040_0002, leaf(c, 0x8000_0001, 0).ecx(), "CmpLegacy | TopologyExtensions");
        assertEquals(3, (leaf(c, 0x8000_001D, 3).eax() >>> 14) & 0xFFF, "L3 shared by the 4 threads of the LLC");
        assertEquals(new CpuidEntry(0x8000_001E, 0, 0, 13, 0x100, 0x101, 0), leaf(c, 0x8000_001E, 0));
        assertTrue(c.stream().noneMatch(e -> e.function() == 0x1F), "no leaf 1Fh beyond the max basic leaf");
        assertEquals(0xB, leaf(c, 0, 0).eax(), "max basic leaf raised to 0Bh");
    }

    private static String ascii(int reg) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            char ch = (char) ((reg >>> (8 * i)) & 0xFF);
            if (ch != 0) {
                sb.append(ch);
            }
        }
        return sb.toString();
    }
}
