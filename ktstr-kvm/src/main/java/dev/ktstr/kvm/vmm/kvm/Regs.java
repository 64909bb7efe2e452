package dev.ktstr.kvm.vmm.kvm;

import com.sun.jna.Pointer;

/**
 * {@code struct kvm_regs} (x86-64, 144 bytes): the general-purpose registers, RIP and RFLAGS, in the
 * kernel's field order.
 */
public record Regs(long rax, long rbx, long rcx, long rdx, long rsi, long rdi, long rsp, long rbp, long r8, long r9,
        long r10, long r11, long r12, long r13, long r14, long r15, long rip, long rflags) {

    public static final int SIZE = KvmIoctl.SIZEOF_REGS;

    /** RFLAGS with only the always-one reserved bit 1 set (interrupts disabled). */
    public static final long RFLAGS_RESERVED = 0x2;

    /** The registers a boot entry sets; everything else zero. */
    public static Regs boot(long rip, long rsp, long rsi, long rbx) {
        return new Regs(0, rbx, 0, 0, rsi, 0, rsp, rsp, 0, 0, 0, 0, 0, 0, 0, 0, rip, RFLAGS_RESERVED);
    }

    static Regs read(Pointer p) {
        long[] v = new long[18];
        p.read(0, v, 0, 18);
        return new Regs(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14],
                v[15], v[16], v[17]);
    }

    void write(Pointer p) {
        long[] v = {rax, rbx, rcx, rdx, rsi, rdi, rsp, rbp, r8, r9, r10, r11, r12, r13, r14, r15, rip, rflags};
        p.write(0, v, 0, 18);
    }
}
