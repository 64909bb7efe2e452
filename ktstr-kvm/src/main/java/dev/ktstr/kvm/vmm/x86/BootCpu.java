package dev.ktstr.kvm.vmm.x86;

import dev.ktstr.kvm.vmm.kvm.DescriptorTable;
import dev.ktstr.kvm.vmm.kvm.Regs;
import dev.ktstr.kvm.vmm.kvm.Sregs;

/**
 * The boot vCPU's register state for the two entry paths:
 * <ul>
 *   <li>64-bit boot protocol (Documentation/arch/x86/boot.rst "64-bit Boot Protocol"): long mode with
 *       paging on the identity tables, CS = {@code __BOOT_CS}, DS/ES/SS = {@code __BOOT_DS},
 *       interrupts off, RSI = the zero page, RIP = load address + 0x200.</li>
 *   <li>PVH (Xen docs/misc/pvh.pandoc "Boot ABI"): 32-bit protected mode, paging off, flat 4 GiB CS
 *       and DS/ES/SS, TR a 32-bit TSS, CR0 = PE, CR4 = 0, EFER = 0, EBX = the start-info block.</li>
 * </ul>
 */
public final class BootCpu {

    public static final long CR0_PE = 1;
    public static final long CR0_ET = 1 << 4;
    public static final long CR0_PG = 1L << 31;
    public static final long CR4_PAE = 1 << 5;
    public static final long EFER_LME = 1 << 8;
    public static final long EFER_LMA = 1 << 10;
    /** x87 control word after FNINIT, and MXCSR at reset: all exceptions masked. */
    public static final int FPU_FCW = 0x37F;
    public static final int FPU_MXCSR = 0x1F80;

    /** Register state to load: the special registers (built over KVM's reset state) and the GPRs. */
    public record State(Sregs sregs, Regs regs) {}

    private BootCpu() {}

    public static State longMode(Sregs reset, long entry, long zeroPage) {
        Sregs s = reset.withBootState(Gdt.code64(), Gdt.data(), Gdt.tss(), gdtr(), idtr(),
                CR0_PE | CR0_ET | CR0_PG, LowMemory.PML4, CR4_PAE, EFER_LME | EFER_LMA);
        return new State(s, Regs.boot(entry, LowMemory.BOOT_STACK, zeroPage, 0));
    }

    public static State pvh(Sregs reset, long entry, long startInfo) {
        Sregs s = reset.withBootState(Gdt.code32(), Gdt.data(), Gdt.tss(), gdtr(), idtr(), CR0_PE | CR0_ET, 0, 0, 0);
        return new State(s, Regs.boot(entry, 0, 0, startInfo));
    }

    private static DescriptorTable gdtr() {
        return new DescriptorTable(LowMemory.GDT, LowMemory.GDT_ENTRIES * 8 - 1);
    }

    private static DescriptorTable idtr() {
        return new DescriptorTable(LowMemory.IDT, 7);
    }
}
