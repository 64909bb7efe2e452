package dev.ktstr.kvm.vmm.vcpu;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import dev.ktstr.kvm.vmm.kvm.KvmRun;
import dev.ktstr.kvm.vmm.kvm.VcpuFd;
import dev.ktstr.kvm.vmm.sys.LibC;
import dev.ktstr.kvm.vmm.sys.NativeCallException;

/**
 * Forces one vCPU thread out of {@code KVM_RUN} (Documentation/virt/kvm/api.rst 4.8 "KVM_RUN",
 * immediate_exit, and 4.41 "KVM_SET_SIGNAL_MASK").
 *
 * <p>The kick signal (a real-time signal) stays blocked in the vCPU thread at all times except inside
 * {@code KVM_RUN}, where {@code KVM_SET_SIGNAL_MASK} unblocks it. A kick sets {@code immediate_exit}
 * and sends the signal to the thread with tgkill(2): if the thread is in the guest, KVM returns with
 * EINTR; if it is on its way in, the signal is already pending and {@code KVM_RUN} returns at once.
 * Back in user space the signal is blocked again, so it is never delivered to a handler — no native
 * handler is needed — and the thread consumes it with sigtimedwait(2). The kicker only signals a
 * thread that has not yet left its loop, so a thread id is never signalled after it exited.
 */
public final class SignalKick {

    private static final int SIGNAL = LibC.__libc_current_sigrtmin() + 4;

    private final Object lock = new Object();
    private int tid = -1;
    private boolean alive;
    private KvmRun run;

    /** The signal number used for kicks. */
    public static int signal() {
        return SIGNAL;
    }

    /** Called on the vCPU thread before its first KVM_RUN. */
    public void bind(VcpuFd vcpu) {
        try (Memory set = sigset(); Memory current = new Memory(LibC.GLIBC_SIGSET_BYTES)) {
            int rc = LibC.pthread_sigmask(LibC.SIG_BLOCK, set, null);
            if (rc != 0) {
                throw new NativeCallException("pthread_sigmask(SIG_BLOCK)", rc);
            }
            rc = LibC.pthread_sigmask(LibC.SIG_SETMASK, null, current);
            if (rc != 0) {
                throw new NativeCallException("pthread_sigmask(query)", rc);
            }
            long kernelMask = current.getLong(0) & ~(1L << (SIGNAL - 1));
            vcpu.setSignalMask(kernelMask);
            synchronized (lock) {
                tid = (int) LibC.syscall(LibC.SYS_GETTID);
                run = vcpu.runState();
                alive = true;
            }
        } catch (LastErrorException e) {
            throw NativeCallException.of("binding the vCPU kick signal", e);
        }
    }

    /** Kicks the thread out of the guest (or keeps it from entering); safe from any thread, any time. */
    public void kick() {
        synchronized (lock) {
            if (!alive) {
                return;
            }
            run.setImmediateExit(true);
            try {
                LibC.syscall(LibC.SYS_TGKILL, LibC.getpid(), tid, SIGNAL);
            } catch (LastErrorException e) {
                throw NativeCallException.of("tgkill(vCPU thread " + tid + ")", e);
            }
        }
    }

    /** Called on the vCPU thread after KVM_RUN returned EINTR: consume the signal, clear immediate_exit. */
    public void consume() {
        if (run != null) {
            run.setImmediateExit(false);
        }
        try (Memory set = sigset(); Memory zero = new Memory(16)) {
            zero.clear();
            while (true) {
                try {
                    LibC.sigtimedwait(set, null, zero);
                } catch (LastErrorException e) {
                    return; // EAGAIN: nothing pending any more
                }
            }
        }
    }

    /** Called on the vCPU thread as it leaves its loop: no kicks after this. */
    public void unbind() {
        synchronized (lock) {
            alive = false;
        }
        consume();
    }

    private static Memory sigset() {
        Memory set = new Memory(LibC.GLIBC_SIGSET_BYTES);
        LibC.sigemptyset(set);
        LibC.sigaddset(set, SIGNAL);
        return set;
    }
}
