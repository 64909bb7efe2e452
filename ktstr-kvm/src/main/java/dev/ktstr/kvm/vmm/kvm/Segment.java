package dev.ktstr.kvm.vmm.kvm;

import com.sun.jna.Pointer;

/**
 * {@code struct kvm_segment} (24 bytes): a segment register's hidden descriptor cache as KVM loads it,
 * which is what the CPU uses until the guest reloads the selector.
 *
 * @param type the 4-bit descriptor type (Intel SDM Vol. 3A 3.4.5.1), e.g. 0xB execute/read accessed code
 */
public record Segment(long base, int limit, int selector, int type, boolean present, int dpl, boolean db, boolean s,
        boolean l, boolean g, boolean avl, boolean unusable) {

    public static final int SIZE = 24;

    static Segment read(Pointer p, long off) {
        return new Segment(p.getLong(off), p.getInt(off + 8), Short.toUnsignedInt(p.getShort(off + 12)),
                p.getByte(off + 14) & 0xff, p.getByte(off + 15) != 0, p.getByte(off + 16) & 0xff,
                p.getByte(off + 17) != 0, p.getByte(off + 18) != 0, p.getByte(off + 19) != 0,
                p.getByte(off + 20) != 0, p.getByte(off + 21) != 0, p.getByte(off + 22) != 0);
    }

    void write(Pointer p, long off) {
        p.setLong(off, base);
        p.setInt(off + 8, limit);
        p.setShort(off + 12, (short) selector);
        p.setByte(off + 14, (byte) type);
        p.setByte(off + 15, flag(present));
        p.setByte(off + 16, (byte) dpl);
        p.setByte(off + 17, flag(db));
        p.setByte(off + 18, flag(s));
        p.setByte(off + 19, flag(l));
        p.setByte(off + 20, flag(g));
        p.setByte(off + 21, flag(avl));
        p.setByte(off + 22, flag(unusable));
        p.setByte(off + 23, (byte) 0);
    }

    private static byte flag(boolean b) {
        return (byte) (b ? 1 : 0);
    }
}
