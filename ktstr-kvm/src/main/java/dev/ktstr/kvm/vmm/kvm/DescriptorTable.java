package dev.ktstr.kvm.vmm.kvm;

import com.sun.jna.Pointer;

/** {@code struct kvm_dtable} (16 bytes): GDTR or IDTR, a linear base and a byte limit. */
public record DescriptorTable(long base, int limit) {

    public static final int SIZE = 16;

    static DescriptorTable read(Pointer p, long off) {
        return new DescriptorTable(p.getLong(off), Short.toUnsignedInt(p.getShort(off + 8)));
    }

    void write(Pointer p, long off) {
        p.setLong(off, base);
        p.setShort(off + 8, (short) limit);
        p.setShort(off + 10, (short) 0);
        p.setInt(off + 12, 0);
    }
}
