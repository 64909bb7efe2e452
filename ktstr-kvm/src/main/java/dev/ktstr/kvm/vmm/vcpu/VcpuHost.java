package dev.ktstr.kvm.vmm.vcpu;

import dev.ktstr.kvm.engine.GuestMemory;
import dev.ktstr.kvm.vmm.devices.IoBus;

/** What a vCPU loop needs from its machine: the buses, guest memory, and where to report. */
public interface VcpuHost {

    IoBus ioBus();

    GuestMemory memory();

    /** Whether the machine is stopping; checked before every KVM_RUN. */
    boolean stopping();

    /** Called once per vCPU loop that ends on its own. */
    void vcpuStopped(VcpuStop stop);

    /** Called on every exit to user space (cheap: used to timestamp the guest's first I/O). */
    void exitSeen(int vcpu, int reason);
}
