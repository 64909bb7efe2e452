package dev.ktstr.kvm.vmm.kvm;

/**
 * KVM ioctl request numbers for x86-64, computed the way {@code <asm-generic/ioctl.h>} does
 * ({@code _IO/_IOR/_IOW/_IOWR} with type {@code KVMIO = 0xAE}) from the command number and the size of
 * the argument struct in {@code <linux/kvm.h>} (Documentation/virt/kvm/api.rst, section 4). Kept as
 * {@code long} because the values with the read bit set exceed {@code Integer.MAX_VALUE}.
 */
public final class KvmIoctl {

    private static final int KVMIO = 0xAE;
    private static final long IOC_NONE = 0;
    private static final long IOC_WRITE = 1;
    private static final long IOC_READ = 2;

    /** Argument struct sizes (bytes) of {@code <linux/kvm.h>} on x86-64. */
    static final int SIZEOF_KVM_MSR_LIST = 4;
    static final int SIZEOF_KVM_CPUID2 = 8;
    static final int SIZEOF_U64 = 8;
    static final int SIZEOF_USERSPACE_MEMORY_REGION = 32;
    static final int SIZEOF_IRQ_LEVEL = 8;
    static final int SIZEOF_PIT_CONFIG = 64;
    static final int SIZEOF_IRQFD = 32;
    static final int SIZEOF_ENABLE_CAP = 104;
    static final int SIZEOF_REGS = 144;
    static final int SIZEOF_SREGS = 312;
    static final int SIZEOF_TRANSLATION = 24;
    static final int SIZEOF_MSRS = 8;
    static final int SIZEOF_SIGNAL_MASK = 4;
    static final int SIZEOF_FPU = 416;
    static final int SIZEOF_LAPIC_STATE = 1024;
    static final int SIZEOF_MP_STATE = 4;

    public static final long KVM_GET_API_VERSION = io(0x00);
    public static final long KVM_CREATE_VM = io(0x01);
    public static final long KVM_GET_MSR_INDEX_LIST = iowr(0x02, SIZEOF_KVM_MSR_LIST);
    public static final long KVM_CHECK_EXTENSION = io(0x03);
    public static final long KVM_GET_VCPU_MMAP_SIZE = io(0x04);
    public static final long KVM_GET_SUPPORTED_CPUID = iowr(0x05, SIZEOF_KVM_CPUID2);

    public static final long KVM_CREATE_VCPU = io(0x41);
    public static final long KVM_SET_USER_MEMORY_REGION = iow(0x46, SIZEOF_USERSPACE_MEMORY_REGION);
    public static final long KVM_SET_TSS_ADDR = io(0x47);
    public static final long KVM_SET_IDENTITY_MAP_ADDR = iow(0x48, SIZEOF_U64);
    public static final long KVM_CREATE_IRQCHIP = io(0x60);
    public static final long KVM_IRQ_LINE = iow(0x61, SIZEOF_IRQ_LEVEL);
    public static final long KVM_IRQFD = iow(0x76, SIZEOF_IRQFD);
    public static final long KVM_CREATE_PIT2 = iow(0x77, SIZEOF_PIT_CONFIG);
    public static final long KVM_ENABLE_CAP = iow(0xa3, SIZEOF_ENABLE_CAP);

    public static final long KVM_RUN = io(0x80);
    public static final long KVM_GET_REGS = ior(0x81, SIZEOF_REGS);
    public static final long KVM_SET_REGS = iow(0x82, SIZEOF_REGS);
    public static final long KVM_GET_SREGS = ior(0x83, SIZEOF_SREGS);
    public static final long KVM_SET_SREGS = iow(0x84, SIZEOF_SREGS);
    public static final long KVM_TRANSLATE = iowr(0x85, SIZEOF_TRANSLATION);
    public static final long KVM_GET_MSRS = iowr(0x88, SIZEOF_MSRS);
    public static final long KVM_SET_MSRS = iow(0x89, SIZEOF_MSRS);
    public static final long KVM_SET_SIGNAL_MASK = iow(0x8b, SIZEOF_SIGNAL_MASK);
    public static final long KVM_GET_FPU = ior(0x8c, SIZEOF_FPU);
    public static final long KVM_SET_FPU = iow(0x8d, SIZEOF_FPU);
    public static final long KVM_GET_LAPIC = ior(0x8e, SIZEOF_LAPIC_STATE);
    public static final long KVM_SET_LAPIC = iow(0x8f, SIZEOF_LAPIC_STATE);
    public static final long KVM_SET_CPUID2 = iow(0x90, SIZEOF_KVM_CPUID2);
    public static final long KVM_GET_MP_STATE = ior(0x98, SIZEOF_MP_STATE);
    public static final long KVM_SET_MP_STATE = iow(0x99, SIZEOF_MP_STATE);
    /** vCPU ioctl ({@code _IO(KVMIO, 0xa3)}); the same number as KVM_ENABLE_CAP's command with no size. */
    public static final long KVM_GET_TSC_KHZ = io(0xa3);

    private KvmIoctl() {}

    static long io(int nr) {
        return ioc(IOC_NONE, nr, 0);
    }

    static long ior(int nr, int size) {
        return ioc(IOC_READ, nr, size);
    }

    static long iow(int nr, int size) {
        return ioc(IOC_WRITE, nr, size);
    }

    static long iowr(int nr, int size) {
        return ioc(IOC_READ | IOC_WRITE, nr, size);
    }

    private static long ioc(long dir, int nr, int size) {
        return (dir << 30) | ((long) size << 16) | ((long) KVMIO << 8) | nr;
    }
}
