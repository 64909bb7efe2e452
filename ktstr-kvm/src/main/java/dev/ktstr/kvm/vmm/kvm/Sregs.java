package dev.ktstr.kvm.vmm.kvm;

import com.sun.jna.Pointer;

/**
 * {@code struct kvm_sregs} (x86-64, 312 bytes): segment registers, descriptor tables, control
 * registers, EFER, the APIC base and the pending-interrupt bitmap, at the kernel's offsets.
 */
public record Sregs(Segment cs, Segment ds, Segment es, Segment fs, Segment gs, Segment ss, Segment tr, Segment ldt,
        DescriptorTable gdt, DescriptorTable idt, long cr0, long cr2, long cr3, long cr4, long cr8, long efer,
        long apicBase, long[] interruptBitmap) {

    public static final int SIZE = KvmIoctl.SIZEOF_SREGS;
    private static final int OFF_GDT = 8 * Segment.SIZE;
    private static final int OFF_IDT = OFF_GDT + DescriptorTable.SIZE;
    private static final int OFF_CR0 = OFF_IDT + DescriptorTable.SIZE;
    private static final int OFF_BITMAP = OFF_CR0 + 7 * 8;

    public Sregs {
        interruptBitmap = interruptBitmap.clone();
        if (interruptBitmap.length != 4) {
            throw new IllegalArgumentException("interrupt bitmap holds 4 words, got " + interruptBitmap.length);
        }
    }

    @Override
    public long[] interruptBitmap() {
        return interruptBitmap.clone();
    }

    /**
     * This state with the given segments, tables and control registers; CR2, CR8, the APIC base and
     * the interrupt bitmap are kept from {@code this} (what KVM reported at reset).
     */
    public Sregs withBootState(Segment code, Segment data, Segment task, DescriptorTable gdtr, DescriptorTable idtr,
            long newCr0, long newCr3, long newCr4, long newEfer) {
        return new Sregs(code, data, data, data, data, data, task, ldt, gdtr, idtr, newCr0, cr2, newCr3, newCr4, cr8,
                newEfer, apicBase, interruptBitmap);
    }

    static Sregs read(Pointer p) {
        Segment[] s = new Segment[8];
        for (int i = 0; i < 8; i++) {
            s[i] = Segment.read(p, (long) i * Segment.SIZE);
        }
        long[] bitmap = new long[4];
        p.read(OFF_BITMAP, bitmap, 0, 4);
        return new Sregs(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], DescriptorTable.read(p, OFF_GDT),
                DescriptorTable.read(p, OFF_IDT), p.getLong(OFF_CR0), p.getLong(OFF_CR0 + 8),
                p.getLong(OFF_CR0 + 16), p.getLong(OFF_CR0 + 24), p.getLong(OFF_CR0 + 32), p.getLong(OFF_CR0 + 40),
                p.getLong(OFF_CR0 + 48), bitmap);
    }

    void write(Pointer p) {
        Segment[] s = {cs, ds, es, fs, gs, ss, tr, ldt};
        for (int i = 0; i < 8; i++) {
            s[i].write(p, (long) i * Segment.SIZE);
        }
        gdt.write(p, OFF_GDT);
        idt.write(p, OFF_IDT);
        long[] cr = {cr0, cr2, cr3, cr4, cr8, efer, apicBase};
        p.write(OFF_CR0, cr, 0, cr.length);
        p.write(OFF_BITMAP, interruptBitmap, 0, 4);
    }
}
