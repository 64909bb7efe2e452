package dev.ktstr.kvm.vmm.vcpu;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import dev.ktstr.kvm.vmm.kvm.KvmRun;
import dev.ktstr.kvm.vmm.kvm.Regs;
import dev.ktstr.kvm.vmm.kvm.VcpuFd;
import dev.ktstr.kvm.vmm.sys.Errno;
import dev.ktstr.kvm.vmm.sys.LibC;
import dev.ktstr.kvm.vmm.sys.NativeCallException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Optional;

/**
 * One platform thread running one vCPU: {@code KVM_RUN} in a loop, dispatching each exit (port I/O
 * to the {@link dev.ktstr.kvm.vmm.devices.IoBus}, MMIO reads as all ones, kicks and AP wake-ups
 * retried) until the machine stops or the guest ends (Documentation/virt/kvm/api.rst 5 "The kvm_run
 * structure"). It keeps its own CPU time, final once the thread has ended.
 */
public final class VcpuThread {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final int index;
    private final VcpuFd vcpu;
    private final VcpuHost host;
    private final SignalKick kick = new SignalKick();
    private final Thread thread;
    private final int hostCpu;
    private volatile long finalCpuNanos = -1;

    /**
     * @param hostCpu host CPU to pin the thread to (sched_setaffinity(2)), or -1 to let it float
     */
    public VcpuThread(String name, int index, VcpuFd vcpu, VcpuHost host, int hostCpu) {
        this.index = index;
        this.hostCpu = hostCpu;
        this.vcpu = vcpu;
        this.host = host;
        this.thread = new Thread(this::loop, name);
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    public int index() {
        return index;
    }

    public Thread thread() {
        return thread;
    }

    /** Pushes the vCPU out of the guest so it sees {@link VcpuHost#stopping()}. */
    public void kick() {
        kick.kick();
    }

    /** Host CPU time this vCPU thread used, in nanoseconds. */
    public long cpuTimeNanos() {
        long fin = finalCpuNanos;
        if (fin >= 0) {
            return fin;
        }
        long t = THREADS.getThreadCpuTime(thread.getId());
        return Math.max(0, t);
    }

    private void loop() {
        try {
            if (hostCpu >= 0) {
                pin(hostCpu);
            }
            kick.bind(vcpu);
            KvmRun run = vcpu.runState();
            while (!host.stopping()) {
                int err = vcpu.run();
                if (err != 0) {
                    if (err == Errno.EINTR || err == Errno.EAGAIN) {
                        kick.consume();
                        continue;
                    }
                    host.vcpuStopped(new VcpuStop.Failed(index, "KVM_RUN failed: " + Errno.name(err), new byte[0]));
                    return;
                }
                int reason = run.exitReason();
                host.exitSeen(index, reason);
                if (!dispatch(run, reason)) {
                    return;
                }
            }
        } catch (RuntimeException e) {
            host.vcpuStopped(new VcpuStop.Failed(index, "vCPU thread failed: " + e.getMessage(), new byte[0]));
        } finally {
            finalCpuNanos = Math.max(0, THREADS.getCurrentThreadCpuTime());
            kick.unbind();
        }
    }

    /** Handles one exit; false when the loop must end. */
    private boolean dispatch(KvmRun run, int reason) {
        switch (reason) {
            case KvmRun.EXIT_IO -> {
                int port = run.ioPort();
                int size = run.ioSize();
                int count = run.ioCount();
                if (run.ioDirection() == KvmRun.IO_OUT) {
                    for (int i = 0; i < count; i++) {
                        host.ioBus().write(port, size, run.ioData(i));
                    }
                } else {
                    for (int i = 0; i < count; i++) {
                        run.setIoData(i, host.ioBus().read(port, size));
                    }
                }
                return true;
            }
            case KvmRun.EXIT_MMIO -> {
                // No MMIO devices outside KVM: reads float high, writes are dropped.
                if (!run.mmioIsWrite()) {
                    run.setMmioData(-1L);
                }
                return true;
            }
            case KvmRun.EXIT_INTR, KvmRun.EXIT_HLT, KvmRun.EXIT_IRQ_WINDOW_OPEN -> {
                kick.consume();
                return true;
            }
            case KvmRun.EXIT_SHUTDOWN -> {
                host.vcpuStopped(new VcpuStop.TripleFault(index));
                return false;
            }
            case KvmRun.EXIT_SYSTEM_EVENT -> {
                host.vcpuStopped(new VcpuStop.SystemEvent(index, run.systemEventType()));
                return false;
            }
            case KvmRun.EXIT_INTERNAL_ERROR -> {
                int sub = run.internalSuberror();
                byte[] insn = run.emulationFailureBytes();
                StringBuilder detail = new StringBuilder(KvmRun.suberrorName(sub)).append(" (suberror ").append(sub)
                        .append(")").append(ripText());
                if (insn.length == 0) {
                    // No instruction bytes from KVM: keep its raw data words and read the bytes at RIP.
                    for (long d : run.internalData()) {
                        detail.append(String.format(" 0x%x", d));
                    }
                    insn = bytesAtRip();
                }
                host.vcpuStopped(new VcpuStop.Failed(index, detail.toString(), insn));
                return false;
            }
            case KvmRun.EXIT_FAIL_ENTRY -> {
                host.vcpuStopped(new VcpuStop.Failed(index, String.format(
                        "VM entry failed, hardware reason 0x%x%s", run.failEntryReason(), ripText()), new byte[0]));
                return false;
            }
            default -> {
                host.vcpuStopped(new VcpuStop.Failed(index, "unexpected " + KvmRun.exitName(reason) + ripText(),
                        bytesAtRip()));
                return false;
            }
        }
    }

    private static void pin(int cpu) {
        try (Memory mask = new Memory(128)) {
            mask.clear();
            mask.setByte(cpu / 8, (byte) (1 << (cpu % 8)));
            LibC.sched_setaffinity(0, 128, mask);
        } catch (LastErrorException e) {
            throw NativeCallException.of("sched_setaffinity(host CPU " + cpu + ")", e);
        }
    }

    private String ripText() {
        try {
            return String.format(" at rip 0x%x", vcpu.getRegs().rip());
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** Up to 15 instruction bytes at RIP, translated through the guest's page tables; empty if unreadable. */
    private byte[] bytesAtRip() {
        try {
            Regs regs = vcpu.getRegs();
            Optional<Long> gpa = vcpu.translate(regs.rip());
            if (gpa.isEmpty() || !host.memory().contains(gpa.get(), 15)) {
                return new byte[0];
            }
            byte[] b = new byte[15];
            host.memory().read(gpa.get(), b, 0, 15);
            return b;
        } catch (RuntimeException e) {
            return new byte[0];
        }
    }
}
