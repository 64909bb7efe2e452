package dev.ktstr.kvm.vmm.kvm;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.ktstr.kvm.vmm.sys.LibC;
import dev.ktstr.kvm.vmm.sys.NativeCallException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A vCPU file descriptor and its mmapped {@link KvmRun} page: register state, CPUID, MSRs, the local
 * APIC page, the signal mask used while in {@code KVM_RUN}, and {@code KVM_RUN} itself
 * (Documentation/virt/kvm/api.rst 4.10–4.22, 4.57, 4.65, 4.69, 4.80).
 */
public final class VcpuFd extends Fd {

    private final int id;
    private final long runAddress;
    private final long runSize;
    private final KvmRun run;
    private boolean released;

    VcpuFd(int fd, int id, int mmapSize) {
        super(fd);
        this.id = id;
        this.runSize = mmapSize;
        long addr;
        try {
            addr = LibC.mmap(0, mmapSize, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, fd, 0);
        } catch (LastErrorException e) {
            super.close();
            throw NativeCallException.of("mmap(kvm_run of vCPU " + id + ")", e);
        }
        this.runAddress = addr;
        this.run = new KvmRun(new Pointer(addr));
    }

    /** The vCPU id given at creation (the APIC id). */
    public int id() {
        return id;
    }

    public KvmRun runState() {
        return run;
    }

    /**
     * {@code KVM_RUN}. Returns 0 when the guest exited to user space (see {@link KvmRun#exitReason()}),
     * otherwise the errno (EINTR after a kick, EAGAIN when an AP was woken by INIT); never throws for
     * those so that the hot path allocates nothing.
     */
    public int run() {
        try {
            LibC.ioctl(fd(), KvmIoctl.KVM_RUN, 0L);
            return 0;
        } catch (LastErrorException e) {
            return e.getErrorCode();
        }
    }

    public Regs getRegs() {
        try (Memory m = zeroed(Regs.SIZE)) {
            ioctl("KVM_GET_REGS", KvmIoctl.KVM_GET_REGS, m);
            return Regs.read(m);
        }
    }

    public void setRegs(Regs regs) {
        try (Memory m = zeroed(Regs.SIZE)) {
            regs.write(m);
            ioctl("KVM_SET_REGS", KvmIoctl.KVM_SET_REGS, m);
        }
    }

    public Sregs getSregs() {
        try (Memory m = zeroed(Sregs.SIZE)) {
            ioctl("KVM_GET_SREGS", KvmIoctl.KVM_GET_SREGS, m);
            return Sregs.read(m);
        }
    }

    public void setSregs(Sregs sregs) {
        try (Memory m = zeroed(Sregs.SIZE)) {
            sregs.write(m);
            ioctl("KVM_SET_SREGS", KvmIoctl.KVM_SET_SREGS, m);
        }
    }

    /**
     * {@code KVM_SET_FPU} with a clean x87/SSE state: control word {@code fcw} and {@code mxcsr}
     * ({@code struct kvm_fpu}: fcw at byte 128, mxcsr at byte 408).
     */
    public void setFpu(int fcw, int mxcsr) {
        try (Memory m = zeroed(KvmIoctl.SIZEOF_FPU)) {
            m.setShort(128, (short) fcw);
            m.setInt(408, mxcsr);
            ioctl("KVM_SET_FPU", KvmIoctl.KVM_SET_FPU, m);
        }
    }

    /** {@code KVM_SET_CPUID2}: what CPUID returns inside the guest. */
    public void setCpuid(List<CpuidEntry> entries) {
        try (Memory m = zeroed(8L + (long) entries.size() * CpuidEntry.SIZE)) {
            m.setInt(0, entries.size());
            for (int i = 0; i < entries.size(); i++) {
                entries.get(i).write(m, 8L + (long) i * CpuidEntry.SIZE);
            }
            ioctl("KVM_SET_CPUID2", KvmIoctl.KVM_SET_CPUID2, m);
        }
    }

    /**
     * {@code KVM_SET_MSRS}: returns how many leading entries KVM accepted; it stops at the first MSR
     * it refuses, so a short count names the culprit ({@code entries.get(count)}).
     */
    public int setMsrs(List<MsrEntry> entries) {
        try (Memory m = zeroed(8L + (long) entries.size() * MsrEntry.SIZE)) {
            m.setInt(0, entries.size());
            for (int i = 0; i < entries.size(); i++) {
                long off = 8L + (long) i * MsrEntry.SIZE;
                m.setInt(off, entries.get(i).index());
                m.setLong(off + 8, entries.get(i).data());
            }
            return ioctl("KVM_SET_MSRS", KvmIoctl.KVM_SET_MSRS, m);
        }
    }

    /**
     * Sets every MSR KVM accepts: {@code KVM_SET_MSRS} stops at the first one it refuses and reports how
     * many it set, so the refused entry is skipped and the rest retried. Returns the refused entries.
     */
    public List<MsrEntry> setMsrsSkippingRefused(List<MsrEntry> entries) {
        List<MsrEntry> refused = new ArrayList<>();
        List<MsrEntry> left = entries;
        while (!left.isEmpty()) {
            int n = setMsrs(left);
            if (n >= left.size()) {
                break;
            }
            refused.add(left.get(n));
            left = left.subList(n + 1, left.size());
        }
        return refused;
    }

    /** {@code KVM_GET_MSRS} for the given indices; MSRs KVM cannot read are left out. */
    public List<MsrEntry> getMsrs(List<Integer> indices) {
        try (Memory m = zeroed(8L + (long) indices.size() * MsrEntry.SIZE)) {
            m.setInt(0, indices.size());
            for (int i = 0; i < indices.size(); i++) {
                m.setInt(8L + (long) i * MsrEntry.SIZE, indices.get(i));
            }
            int n = ioctl("KVM_GET_MSRS", KvmIoctl.KVM_GET_MSRS, m);
            List<MsrEntry> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long off = 8L + (long) i * MsrEntry.SIZE;
                out.add(new MsrEntry(m.getInt(off), m.getLong(off + 8)));
            }
            return out;
        }
    }

    /** {@code KVM_GET_LAPIC}: the 1 KiB local APIC register page. */
    public byte[] getLapic() {
        try (Memory m = zeroed(KvmIoctl.SIZEOF_LAPIC_STATE)) {
            ioctl("KVM_GET_LAPIC", KvmIoctl.KVM_GET_LAPIC, m);
            return m.getByteArray(0, KvmIoctl.SIZEOF_LAPIC_STATE);
        }
    }

    public void setLapic(byte[] page) {
        if (page.length != KvmIoctl.SIZEOF_LAPIC_STATE) {
            throw new IllegalArgumentException("LAPIC state is 1024 bytes, got " + page.length);
        }
        try (Memory m = zeroed(KvmIoctl.SIZEOF_LAPIC_STATE)) {
            m.write(0, page, 0, page.length);
            ioctl("KVM_SET_LAPIC", KvmIoctl.KVM_SET_LAPIC, m);
        }
    }

    /**
     * {@code KVM_SET_SIGNAL_MASK}: the signal mask in force while this vCPU is inside {@code KVM_RUN}
     * ({@code sigset} is the kernel's 8-byte mask, bit {@code n-1} for signal {@code n}).
     */
    public void setSignalMask(long kernelSigset) {
        try (Memory m = zeroed(4 + 8)) {
            m.setInt(0, 8);
            m.setLong(4, kernelSigset);
            ioctl("KVM_SET_SIGNAL_MASK", KvmIoctl.KVM_SET_SIGNAL_MASK, m);
        }
    }

    /** {@code KVM_GET_TSC_KHZ}, or empty when KVM does not know the guest TSC frequency. */
    public Optional<Integer> tscKhz() {
        try {
            int khz = LibC.ioctl(fd(), KvmIoctl.KVM_GET_TSC_KHZ, 0L);
            return khz > 0 ? Optional.of(khz) : Optional.empty();
        } catch (LastErrorException e) {
            return Optional.empty();
        }
    }

    /** {@code KVM_TRANSLATE}: the guest-physical address of linear address {@code gva}, if mapped. */
    public Optional<Long> translate(long gva) {
        try (Memory m = zeroed(KvmIoctl.SIZEOF_TRANSLATION)) {
            m.setLong(0, gva);
            ioctl("KVM_TRANSLATE", KvmIoctl.KVM_TRANSLATE, m);
            return m.getByte(16) != 0 ? Optional.of(m.getLong(8)) : Optional.empty();
        }
    }

    /** Unmaps the run page and closes the fd; idempotent. */
    @Override
    public synchronized void close() {
        if (released) {
            return;
        }
        released = true;
        try {
            LibC.munmap(runAddress, runSize);
        } catch (LastErrorException e) {
            throw NativeCallException.of("munmap(kvm_run of vCPU " + id + ")", e);
        } finally {
            super.close();
        }
    }
}
