package dev.ktstr.kvm.vmm.kvm;

import com.sun.jna.Pointer;

/**
 * {@code struct kvm_cpuid_entry2} (40 bytes): the result of CPUID for one leaf ({@code function}) and
 * subleaf ({@code index}). {@code flags} bit 0 ({@link #FLAG_SIGNIFICANT_INDEX}) says the subleaf
 * matters for this leaf.
 */
public record CpuidEntry(int function, int index, int flags, int eax, int ebx, int ecx, int edx) {

    public static final int SIZE = 40;
    public static final int FLAG_SIGNIFICANT_INDEX = 1;

    public CpuidEntry withEax(int v) {
        return new CpuidEntry(function, index, flags, v, ebx, ecx, edx);
    }

    public CpuidEntry withEbx(int v) {
        return new CpuidEntry(function, index, flags, eax, v, ecx, edx);
    }

    public CpuidEntry withEcx(int v) {
        return new CpuidEntry(function, index, flags, eax, ebx, v, edx);
    }

    public CpuidEntry withEdx(int v) {
        return new CpuidEntry(function, index, flags, eax, ebx, ecx, v);
    }

    static CpuidEntry read(Pointer p, long off) {
        return new CpuidEntry(p.getInt(off), p.getInt(off + 4), p.getInt(off + 8), p.getInt(off + 12),
                p.getInt(off + 16), p.getInt(off + 20), p.getInt(off + 24));
    }

    void write(Pointer p, long off) {
        int[] v = {function, index, flags, eax, ebx, ecx, edx, 0, 0, 0};
        p.write(off, v, 0, v.length);
    }

    @Override
    public String toString() {
        return String.format("0x%08x.%d: eax=0x%08x ebx=0x%08x ecx=0x%08x edx=0x%08x", function, index, eax, ebx, ecx,
                edx);
    }
}
