package dev.ktstr.kvm.vmm.kvm;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import dev.ktstr.kvm.vmm.sys.Errno;
import dev.ktstr.kvm.vmm.sys.LibC;
import dev.ktstr.kvm.vmm.sys.NativeCallException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The KVM system file descriptor ({@code /dev/kvm}): API version, capabilities, supported CPUID and
 * VM creation (Documentation/virt/kvm/api.rst, 4.1–4.5, 4.46). Opening checks the API version and
 * the capabilities the VMM relies on, so a machine that cannot run it fails here with a clear message.
 */
public final class Kvm extends Fd {

    public static final String DEVICE = "/dev/kvm";
    public static final int API_VERSION = 12;

    /**
     * Capabilities checked before use: what this VMM relies on plus the rest of the set Firecracker
     * checks for an x86 Linux guest (all standard in x86 KVM for a decade), so a host that lacks one is
     * refused with its name rather than failing later in an obscure ioctl.
     */
    public static final Set<KvmCap> REQUIRED = EnumSet.of(KvmCap.IRQCHIP, KvmCap.USER_MEMORY, KvmCap.SET_TSS_ADDR,
            KvmCap.EXT_CPUID, KvmCap.PIT2, KvmCap.PIT_STATE2, KvmCap.MP_STATE, KvmCap.IMMEDIATE_EXIT,
            KvmCap.IRQ_INJECT_STATUS, KvmCap.IRQFD, KvmCap.IOEVENTFD, KvmCap.ADJUST_CLOCK, KvmCap.DEBUGREGS,
            KvmCap.VCPU_EVENTS, KvmCap.XSAVE, KvmCap.XCRS);

    private static final int CREATE_VM_ATTEMPTS = 5;

    private final int vcpuMmapSize;

    private Kvm(int fd) {
        super(fd);
        try {
            int version = ioctl("KVM_GET_API_VERSION", KvmIoctl.KVM_GET_API_VERSION, 0L);
            if (version != API_VERSION) {
                throw new KvmException(DEVICE + " speaks KVM API version " + version + ", this VMM needs " + API_VERSION);
            }
            List<String> missing = new ArrayList<>();
            for (KvmCap cap : REQUIRED) {
                if (checkExtension(cap) <= 0) {
                    missing.add(cap.kernelName());
                }
            }
            if (!missing.isEmpty()) {
                throw new KvmException(DEVICE + " lacks required capabilities: " + String.join(", ", missing));
            }
            vcpuMmapSize = ioctl("KVM_GET_VCPU_MMAP_SIZE", KvmIoctl.KVM_GET_VCPU_MMAP_SIZE, 0L);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Opens {@code /dev/kvm}, failing with "no /dev/kvm", "no permission on /dev/kvm" or the reason. */
    public static Kvm open() {
        return open(DEVICE);
    }

    static Kvm open(String device) {
        int fd;
        try {
            fd = LibC.open(device, LibC.O_RDWR | LibC.O_CLOEXEC);
        } catch (LastErrorException e) {
            int errno = e.getErrorCode();
            if (errno == Errno.ENOENT || errno == Errno.ENXIO || errno == Errno.ENODEV) {
                throw new KvmException("no " + device + " (" + Errno.name(errno) + "): KVM is not available on this host");
            }
            if (errno == Errno.EACCES || errno == Errno.EPERM) {
                throw new KvmException("no permission on " + device + " (" + Errno.name(errno)
                        + "): add the user to its group (usually 'kvm') or grant rw access");
            }
            throw new KvmException("cannot open " + device + ": " + Errno.name(errno));
        }
        return new Kvm(fd);
    }

    /** {@code KVM_CHECK_EXTENSION}: 0 when absent, otherwise a capability-specific positive value. */
    public int checkExtension(KvmCap cap) {
        return ioctl("KVM_CHECK_EXTENSION(" + cap.kernelName() + ")", KvmIoctl.KVM_CHECK_EXTENSION, cap.number());
    }

    public int vcpuMmapSize() {
        return vcpuMmapSize;
    }

    /** The most vCPUs one VM may have ({@code KVM_CAP_MAX_VCPUS}, falling back to NR_VCPUS semantics). */
    public int maxVcpus() {
        int max = checkExtension(KvmCap.MAX_VCPUS);
        return max > 0 ? max : 4;
    }

    /** The largest vCPU id plus one ({@code KVM_CAP_MAX_VCPU_ID}); ids are our APIC ids. */
    public int maxVcpuId() {
        int max = checkExtension(KvmCap.MAX_VCPU_ID);
        return max > 0 ? max : maxVcpus();
    }

    /**
     * {@code KVM_GET_SUPPORTED_CPUID}: every leaf KVM can present to a guest on this host. Grows the
     * buffer while the kernel answers E2BIG.
     */
    public List<CpuidEntry> supportedCpuid() {
        for (int nent = 128; nent <= 4096; nent *= 2) {
            try (Memory m = zeroed(8L + (long) nent * CpuidEntry.SIZE)) {
                m.setInt(0, nent);
                try {
                    ioctl("KVM_GET_SUPPORTED_CPUID", KvmIoctl.KVM_GET_SUPPORTED_CPUID, m);
                } catch (NativeCallException e) {
                    if (e.errno() == Errno.E2BIG) {
                        continue;
                    }
                    throw e;
                }
                int n = m.getInt(0);
                List<CpuidEntry> out = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    out.add(CpuidEntry.read(m, 8L + (long) i * CpuidEntry.SIZE));
                }
                return List.copyOf(out);
            }
        }
        throw new KvmException("KVM_GET_SUPPORTED_CPUID needs more than 4096 entries");
    }

    /**
     * {@code KVM_CREATE_VM}, retried with exponential backoff when interrupted (EINTR), which happens
     * when the kernel is busy tearing down another VM's MMU notifier state.
     */
    public VmFd createVm() {
        NativeCallException last = null;
        for (int attempt = 0; attempt < CREATE_VM_ATTEMPTS; attempt++) {
            try {
                int vmfd = ioctl("KVM_CREATE_VM", KvmIoctl.KVM_CREATE_VM, 0L);
                return new VmFd(vmfd, vcpuMmapSize);
            } catch (NativeCallException e) {
                if (e.errno() != Errno.EINTR) {
                    throw e;
                }
                last = e;
                try {
                    Thread.sleep(1L << attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new KvmException("interrupted while retrying KVM_CREATE_VM", ie);
                }
            }
        }
        throw new KvmException("KVM_CREATE_VM kept failing with EINTR after " + CREATE_VM_ATTEMPTS + " attempts", last);
    }
}
