package dev.ktstr.kvm.vmm.kvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.jna.Memory;
import org.junit.jupiter.api.Test;

/** Field offsets of the structs in {@code <linux/kvm.h>} (x86-64), written and read back through native memory. */
class StructLayoutTest {

    @Test
    void regs() {
        try (Memory m = new Memory(Regs.SIZE)) {
            m.clear();
            new Regs(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 0x100200, 2).write(m);
            assertEquals(5, m.getLong(4 * 8), "rsi");
            assertEquals(0x100200, m.getLong(16 * 8), "rip");
            assertEquals(2, m.getLong(17 * 8), "rflags");
            assertEquals(Regs.read(m), new Regs(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 0x100200, 2));
        }
    }

    @Test
    void sregs() {
        Segment cs = new Segment(0x1000, 0xFFFFF, 0x10, 0xB, true, 0, false, true, true, true, false, false);
        Segment ds = new Segment(0, 0xFFFFFFFF, 0x18, 3, true, 0, true, true, false, true, false, false);
        Sregs s = new Sregs(cs, ds, ds, ds, ds, ds, ds, ds, new DescriptorTable(0x500, 47),
                new DescriptorTable(0x540, 7), 0x80000011L, 0x2, 0x9000, 0x20, 0x8, 0x500, 0xFEE00900L,
                new long[] {1, 2, 3, 4});
        try (Memory m = new Memory(Sregs.SIZE)) {
            m.clear();
            s.write(m);
            assertEquals(0x1000, m.getLong(0), "cs.base");
            assertEquals(0xFFFFF, m.getInt(8), "cs.limit");
            assertEquals(0x10, m.getShort(12), "cs.selector");
            assertEquals(0xB, m.getByte(14), "cs.type");
            assertEquals(1, m.getByte(19), "cs.l");
            assertEquals(0x18, m.getShort(24 + 12), "ds.selector");
            assertEquals(0x500, m.getLong(192), "gdt.base");
            assertEquals(47, m.getShort(200), "gdt.limit");
            assertEquals(0x540, m.getLong(208), "idt.base");
            assertEquals(0x80000011L, m.getLong(224), "cr0");
            assertEquals(0x9000, m.getLong(240), "cr3");
            assertEquals(0x500, m.getLong(264), "efer");
            assertEquals(0xFEE00900L, m.getLong(272), "apic_base");
            assertEquals(4, m.getLong(304), "interrupt_bitmap[3]");
            Sregs back = Sregs.read(m);
            assertEquals(s.cs(), back.cs());
            assertEquals(s.gdt(), back.gdt());
            assertEquals(s.efer(), back.efer());
            assertArrayEquals(s.interruptBitmap(), back.interruptBitmap());
        }
    }

    @Test
    void cpuidEntry() {
        try (Memory m = new Memory(CpuidEntry.SIZE)) {
            new CpuidEntry(0xB, 1, 1, 3, 6, 0x201, 19).write(m, 0);
            assertEquals(0xB, m.getInt(0));
            assertEquals(1, m.getInt(4));
            assertEquals(1, m.getInt(8));
            assertEquals(19, m.getInt(24), "edx");
            assertEquals(0, m.getInt(36), "padding");
            assertEquals(new CpuidEntry(0xB, 1, 1, 3, 6, 0x201, 19), CpuidEntry.read(m, 0));
        }
    }
}
