package dev.ktstr.kvm.vmm.kvm;

/**
 * KVM capability numbers ({@code KVM_CAP_*} in {@code <linux/kvm.h>}) the VMM checks or enables,
 * each with its name for error messages.
 */
public enum KvmCap {
    IRQCHIP(0),
    HLT(1),
    USER_MEMORY(3),
    SET_TSS_ADDR(4),
    EXT_CPUID(7),
    MP_STATE(14),
    IRQ_INJECT_STATUS(26),
    IRQ_ROUTING(25),
    PIT2(33),
    SET_IDENTITY_MAP_ADDR(37),
    IOEVENTFD(36),
    ADJUST_CLOCK(39),
    IRQFD(32),
    PIT_STATE2(35),
    VCPU_EVENTS(41),
    DEBUGREGS(50),
    XSAVE(55),
    XCRS(56),
    TSC_DEADLINE_TIMER(72),
    MAX_VCPUS(66),
    MAX_VCPU_ID(128),
    NR_MEMSLOTS(10),
    GET_TSC_KHZ(61),
    IMMEDIATE_EXIT(136),
    SPLIT_IRQCHIP(121),
    X2APIC_API(129),
    HALT_POLL(182),
    EXIT_ON_EMULATION_FAILURE(204);

    private final int number;

    KvmCap(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    /** {@code KVM_CAP_IRQCHIP} etc. */
    public String kernelName() {
        return "KVM_CAP_" + name();
    }
}
