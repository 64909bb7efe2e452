package dev.ktstr.kvm.vmm.kvm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The computed request numbers against the values {@code <linux/kvm.h>} expands to on x86-64
 * (printed by a C program compiled against the Linux UAPI headers).
 */
class KvmIoctlTest {

    @Test
    void systemAndVmIoctls() {
        assertEquals(0xae00L, KvmIoctl.KVM_GET_API_VERSION);
        assertEquals(0xae01L, KvmIoctl.KVM_CREATE_VM);
        assertEquals(0xc004ae02L, KvmIoctl.KVM_GET_MSR_INDEX_LIST);
        assertEquals(0xae03L, KvmIoctl.KVM_CHECK_EXTENSION);
        assertEquals(0xae04L, KvmIoctl.KVM_GET_VCPU_MMAP_SIZE);
        assertEquals(0xc008ae05L, KvmIoctl.KVM_GET_SUPPORTED_CPUID);
        assertEquals(0xae41L, KvmIoctl.KVM_CREATE_VCPU);
        assertEquals(0x4020ae46L, KvmIoctl.KVM_SET_USER_MEMORY_REGION);
        assertEquals(0xae47L, KvmIoctl.KVM_SET_TSS_ADDR);
        assertEquals(0x4008ae48L, KvmIoctl.KVM_SET_IDENTITY_MAP_ADDR);
        assertEquals(0xae60L, KvmIoctl.KVM_CREATE_IRQCHIP);
        assertEquals(0x4008ae61L, KvmIoctl.KVM_IRQ_LINE);
        assertEquals(0x4020ae76L, KvmIoctl.KVM_IRQFD);
        assertEquals(0x4040ae77L, KvmIoctl.KVM_CREATE_PIT2);
        assertEquals(0x4068aea3L, KvmIoctl.KVM_ENABLE_CAP);
    }

    @Test
    void vcpuIoctls() {
        assertEquals(0xae80L, KvmIoctl.KVM_RUN);
        assertEquals(0x8090ae81L, KvmIoctl.KVM_GET_REGS);
        assertEquals(0x4090ae82L, KvmIoctl.KVM_SET_REGS);
        assertEquals(0x8138ae83L, KvmIoctl.KVM_GET_SREGS);
        assertEquals(0x4138ae84L, KvmIoctl.KVM_SET_SREGS);
        assertEquals(0xc018ae85L, KvmIoctl.KVM_TRANSLATE);
        assertEquals(0xc008ae88L, KvmIoctl.KVM_GET_MSRS);
        assertEquals(0x4008ae89L, KvmIoctl.KVM_SET_MSRS);
        assertEquals(0x4004ae8bL, KvmIoctl.KVM_SET_SIGNAL_MASK);
        assertEquals(0x81a0ae8cL, KvmIoctl.KVM_GET_FPU);
        assertEquals(0x41a0ae8dL, KvmIoctl.KVM_SET_FPU);
        assertEquals(0x8400ae8eL, KvmIoctl.KVM_GET_LAPIC);
        assertEquals(0x4400ae8fL, KvmIoctl.KVM_SET_LAPIC);
        assertEquals(0x4008ae90L, KvmIoctl.KVM_SET_CPUID2);
        assertEquals(0x8004ae98L, KvmIoctl.KVM_GET_MP_STATE);
        assertEquals(0x4004ae99L, KvmIoctl.KVM_SET_MP_STATE);
        assertEquals(0xaea3L, KvmIoctl.KVM_GET_TSC_KHZ);
    }

    @Test
    void capabilityNumbers() {
        assertEquals(0, KvmCap.IRQCHIP.number());
        assertEquals(33, KvmCap.PIT2.number());
        assertEquals(136, KvmCap.IMMEDIATE_EXIT.number());
        assertEquals(182, KvmCap.HALT_POLL.number());
        assertEquals("KVM_CAP_X2APIC_API", KvmCap.X2APIC_API.kernelName());
    }
}
