package dev.ktstr.kvm.vmm.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.kvm.vmm.kvm.Segment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Intel SDM Vol. 3A 3.4.5: descriptor encoding, checked against the kernel's GDT_ENTRY values. */
class GdtTest {

    @Test
    void entriesMatchTheKernelsBootGdt() {
        // arch/x86/boot/compressed/head_64.S and Firecracker use exactly these descriptors.
        assertEquals(0x00af9b000000ffffL, Gdt.entry(Gdt.FLAGS_CODE64, 0, 0xFFFFF));
        assertEquals(0x00cf9b000000ffffL, Gdt.entry(Gdt.FLAGS_CODE32, 0, 0xFFFFF));
        assertEquals(0x00cf93000000ffffL, Gdt.entry(Gdt.FLAGS_DATA, 0, 0xFFFFF));
        assertEquals(0x0000_8b00_0000_0067L, Gdt.entry(Gdt.FLAGS_TSS, 0, 0x67));
        assertEquals(0x12ff_9b34_5678_ffffL, Gdt.entry(0xF09B, 0x1234_5678L, 0xFFFFF));
    }

    @Test
    void tableHoldsTheEntriesAtTheirSelectors() {
        ByteBuffer b = ByteBuffer.wrap(Gdt.table()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(LowMemory.GDT_ENTRIES * 8, b.capacity());
        assertEquals(0, b.getLong(0));
        assertEquals(0x00cf9b000000ffffL, b.getLong(Gdt.CODE32_SELECTOR));
        assertEquals(0x00af9b000000ffffL, b.getLong(Gdt.CODE64_SELECTOR));
        assertEquals(0x00cf93000000ffffL, b.getLong(Gdt.DATA_SELECTOR));
        assertEquals(0x0000_8b00_0000_0067L, b.getLong(Gdt.TSS_SELECTOR));
        assertEquals(0, b.getLong(Gdt.TSS_SELECTOR + 8), "upper half of the 16-byte TSS descriptor");
    }

    @Test
    void segmentsDecodeTheDescriptors() {
        Segment cs = Gdt.code64();
        assertEquals(0x10, cs.selector());
        assertEquals(0xB, cs.type());
        assertEquals(0xFFFFFFFF, cs.limit());
        assertTrue(cs.present() && cs.s() && cs.l() && cs.g());
        assertFalse(cs.db());
        Segment cs32 = Gdt.code32();
        assertTrue(cs32.db());
        assertFalse(cs32.l());
        Segment ds = Gdt.data();
        assertEquals(0x18, ds.selector());
        assertEquals(3, ds.type());
        assertTrue(ds.db() && ds.g());
        Segment tr = Gdt.tss();
        assertEquals(0x20, tr.selector());
        assertEquals(0xB, tr.type());
        assertEquals(0x67, tr.limit());
        assertFalse(tr.s() || tr.g() || tr.unusable());
        assertEquals(0, tr.base());
    }
}
