package dev.ktstr.kvm.vmm.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ktstr.kvm.vmm.kvm.DescriptorTable;
import dev.ktstr.kvm.vmm.kvm.Segment;
import dev.ktstr.kvm.vmm.kvm.Sregs;
import org.junit.jupiter.api.Test;

/** boot.rst "64-bit Boot Protocol" and the PVH boot ABI, as register values. */
class BootCpuTest {

    /** What KVM reports for a vCPU at reset (real mode, CS base 0xFFFF0000). */
    static Sregs reset() {
        Segment rm = new Segment(0, 0xFFFF, 0, 3, true, 0, false, true, false, false, false, false);
        Segment cs = new Segment(0xFFFF0000L, 0xFFFF, 0xF000, 0xB, true, 0, false, true, false, false, false, false);
        Segment ldt = new Segment(0, 0xFFFF, 0, 2, true, 0, false, false, false, false, false, false);
        return new Sregs(cs, rm, rm, rm, rm, rm, rm, ldt, new DescriptorTable(0, 0xFFFF),
                new DescriptorTable(0, 0xFFFF), 0x60000010L, 0, 0, 0, 0, 0, 0xFEE00900L, new long[4]);
    }

    @Test
    void longModeEntry() {
        BootCpu.State s = BootCpu.longMode(reset(), 0x100200, 0x7000);
        assertEquals(0x80000011L, s.sregs().cr0());
        assertEquals(0x20, s.sregs().cr4());
        assertEquals(0x500, s.sregs().efer());
        assertEquals(LowMemory.PML4, s.sregs().cr3());
        assertEquals(0x10, s.sregs().cs().selector());
        assertEquals(0x18, s.sregs().ss().selector());
        assertEquals(0x18, s.sregs().ds().selector());
        assertEquals(new DescriptorTable(LowMemory.GDT, 47), s.sregs().gdt());
        assertEquals(0xFEE00900L, s.sregs().apicBase(), "kept from reset");
        assertEquals(0x100200, s.regs().rip());
        assertEquals(0x7000, s.regs().rsi());
        assertEquals(2, s.regs().rflags(), "interrupts off");
    }

    @Test
    void pvhEntry() {
        BootCpu.State s = BootCpu.pvh(reset(), 0x38c0160, 0x6000);
        assertEquals(0x11, s.sregs().cr0(), "PE (and the hard-wired ET) only");
        assertEquals(0, s.sregs().cr4());
        assertEquals(0, s.sregs().efer());
        assertEquals(0x08, s.sregs().cs().selector());
        assertEquals(true, s.sregs().cs().db());
        assertEquals(0xB, s.sregs().tr().type());
        assertEquals(0x6000, s.regs().rbx());
        assertEquals(0x38c0160, s.regs().rip());
    }
}
