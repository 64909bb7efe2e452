package dev.ktstr.kvm.vmm.kvm;

import com.sun.jna.Memory;

/**
 * A KVM VM file descriptor: guest memory slots, the in-kernel interrupt controllers and PIT, interrupt
 * lines and vCPU creation (Documentation/virt/kvm/api.rst 4.7, 4.24, 4.25, 4.35, 4.36, 4.100).
 */
public final class VmFd extends Fd {

    /** {@code KVM_PIT_SPEAKER_DUMMY}: the in-kernel PIT answers port 0x61 itself. */
    public static final int PIT_SPEAKER_DUMMY = 1;

    private final int vcpuMmapSize;

    VmFd(int fd, int vcpuMmapSize) {
        super(fd);
        this.vcpuMmapSize = vcpuMmapSize;
    }

    /** {@code KVM_CHECK_EXTENSION} on the VM fd (answers for this VM, e.g. its memslot count). */
    public int checkExtension(KvmCap cap) {
        return ioctl("KVM_CHECK_EXTENSION(" + cap.kernelName() + ")", KvmIoctl.KVM_CHECK_EXTENSION, cap.number());
    }

    /** {@code KVM_SET_TSS_ADDR}: three pages of guest-physical address space KVM may use on Intel. */
    public void setTssAddress(long gpa) {
        ioctl("KVM_SET_TSS_ADDR", KvmIoctl.KVM_SET_TSS_ADDR, gpa);
    }

    /** {@code KVM_SET_IDENTITY_MAP_ADDR}: one page for the EPT identity map used for real mode on Intel. */
    public void setIdentityMapAddress(long gpa) {
        try (Memory m = zeroed(8)) {
            m.setLong(0, gpa);
            ioctl("KVM_SET_IDENTITY_MAP_ADDR", KvmIoctl.KVM_SET_IDENTITY_MAP_ADDR, m);
        }
    }

    /** {@code KVM_CREATE_IRQCHIP}: in-kernel dual 8259 PIC, IOAPIC (24 pins) and per-vCPU local APICs. */
    public void createIrqchip() {
        ioctl("KVM_CREATE_IRQCHIP", KvmIoctl.KVM_CREATE_IRQCHIP, 0L);
    }

    /** {@code KVM_CREATE_PIT2}: the in-kernel i8254 PIT on GSI 0. */
    public void createPit2(int flags) {
        try (Memory m = zeroed(KvmIoctl.SIZEOF_PIT_CONFIG)) {
            m.setInt(0, flags);
            ioctl("KVM_CREATE_PIT2", KvmIoctl.KVM_CREATE_PIT2, m);
        }
    }

    /** {@code KVM_SET_USER_MEMORY_REGION}: maps {@code size} bytes at host address {@code hva} to {@code gpa}. */
    public void setUserMemoryRegion(int slot, int flags, long gpa, long size, long hva) {
        try (Memory m = zeroed(KvmIoctl.SIZEOF_USERSPACE_MEMORY_REGION)) {
            m.setInt(0, slot);
            m.setInt(4, flags);
            m.setLong(8, gpa);
            m.setLong(16, size);
            m.setLong(24, hva);
            ioctl("KVM_SET_USER_MEMORY_REGION(slot " + slot + ")", KvmIoctl.KVM_SET_USER_MEMORY_REGION, m);
        }
    }

    /** {@code KVM_IRQ_LINE}: sets the level of GSI {@code gsi} (PIC and IOAPIC pins below 16, IOAPIC above). */
    public void irqLine(int gsi, boolean level) {
        try (Memory m = zeroed(KvmIoctl.SIZEOF_IRQ_LEVEL)) {
            m.setInt(0, gsi);
            m.setInt(4, level ? 1 : 0);
            ioctl("KVM_IRQ_LINE(gsi " + gsi + ")", KvmIoctl.KVM_IRQ_LINE, m);
        }
    }

    /** {@code KVM_ENABLE_CAP} on the VM with up to four arguments. */
    public void enableCap(KvmCap cap, long... args) {
        if (args.length > 4) {
            throw new IllegalArgumentException("KVM_ENABLE_CAP takes at most 4 arguments");
        }
        try (Memory m = zeroed(KvmIoctl.SIZEOF_ENABLE_CAP)) {
            m.setInt(0, cap.number());
            for (int i = 0; i < args.length; i++) {
                m.setLong(8 + 8L * i, args[i]);
            }
            ioctl("KVM_ENABLE_CAP(" + cap.kernelName() + ")", KvmIoctl.KVM_ENABLE_CAP, m);
        }
    }

    /** {@code KVM_CREATE_VCPU} with {@code id}, which the in-kernel local APIC takes as its initial APIC id. */
    public VcpuFd createVcpu(int id) {
        int fd = ioctl("KVM_CREATE_VCPU(" + id + ")", KvmIoctl.KVM_CREATE_VCPU, id);
        return new VcpuFd(fd, id, vcpuMmapSize);
    }
}
