package dev.ktstr.kvm.vmm.x86;

import dev.ktstr.kvm.vmm.kvm.Segment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The boot GDT and the segment registers derived from it (Intel SDM Vol. 3A 3.4.5 "Segment
 * Descriptors", 7.2.3 "TSS Descriptor in 64-bit mode"). Selectors follow Linux's boot expectations
 * (Documentation/arch/x86/boot.rst: {@code __BOOT_CS} = 0x10, {@code __BOOT_DS} = 0x18); the 32-bit code
 * segment at 0x08 is used for the PVH entry, which starts in 32-bit protected mode.
 */
public final class Gdt {

    public static final int CODE32_SELECTOR = 0x08;
    public static final int CODE64_SELECTOR = 0x10;
    public static final int DATA_SELECTOR = 0x18;
    public static final int TSS_SELECTOR = 0x20;

    /** Access byte + flags nibble (bits 12–15: G, D/B, L, AVL), as in {@code GDT_ENTRY} of the kernel. */
    public static final int FLAGS_CODE32 = 0xC09B;
    public static final int FLAGS_CODE64 = 0xA09B;
    public static final int FLAGS_DATA = 0xC093;
    public static final int FLAGS_TSS = 0x008B;
    public static final long TSS_LIMIT = 0x67;

    private Gdt() {}

    /** A descriptor from flags (access byte in bits 0–7, G/DB/L/AVL in bits 12–15), base and 20-bit limit. */
    public static long entry(int flags, long base, long limit) {
        return ((base & 0xFF00_0000L) << 32) | ((base & 0x00FF_FFFFL) << 16) | (limit & 0xFFFFL)
                | (((limit >> 16) & 0xFL) << 48) | (((long) flags & 0xF0FFL) << 40);
    }

    /** The GDT bytes: null, CODE32, CODE64, DATA, TSS (16-byte system descriptor in long mode). */
    public static byte[] table() {
        ByteBuffer b = ByteBuffer.allocate(LowMemory.GDT_ENTRIES * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, 0);
        b.putLong(8, entry(FLAGS_CODE32, 0, 0xFFFFF));
        b.putLong(16, entry(FLAGS_CODE64, 0, 0xFFFFF));
        b.putLong(24, entry(FLAGS_DATA, 0, 0xFFFFF));
        b.putLong(32, entry(FLAGS_TSS, 0, TSS_LIMIT));
        b.putLong(40, 0);
        return b.array();
    }

    /** The hidden segment state the CPU would load for {@code selector} from {@code descriptor}. */
    public static Segment segment(int selector, long descriptor) {
        long base = ((descriptor >>> 16) & 0xFF_FFFFL) | ((descriptor >>> 32) & 0xFF00_0000L);
        long limit = (descriptor & 0xFFFFL) | ((descriptor >>> 32) & 0xF_0000L);
        int access = (int) ((descriptor >>> 40) & 0xFF);
        int flags = (int) ((descriptor >>> 52) & 0xF);
        boolean g = (flags & 0x8) != 0;
        if (g) {
            limit = (limit << 12) | 0xFFF;
        }
        boolean present = (access & 0x80) != 0;
        return new Segment(base, (int) limit, selector, access & 0xF, present, (access >> 5) & 3, (flags & 0x4) != 0,
                (access & 0x10) != 0, (flags & 0x2) != 0, g, (flags & 0x1) != 0, !present);
    }

    public static Segment code32() {
        return segment(CODE32_SELECTOR, entry(FLAGS_CODE32, 0, 0xFFFFF));
    }

    public static Segment code64() {
        return segment(CODE64_SELECTOR, entry(FLAGS_CODE64, 0, 0xFFFFF));
    }

    public static Segment data() {
        return segment(DATA_SELECTOR, entry(FLAGS_DATA, 0, 0xFFFFF));
    }

    public static Segment tss() {
        return segment(TSS_SELECTOR, entry(FLAGS_TSS, 0, TSS_LIMIT));
    }
}
