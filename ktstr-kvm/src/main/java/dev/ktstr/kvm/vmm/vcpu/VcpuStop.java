package dev.ktstr.kvm.vmm.vcpu;

/** Why a vCPU left its run loop on its own (as opposed to being told to stop). */
public sealed interface VcpuStop {

    int vcpu();

    /** KVM_EXIT_SHUTDOWN: the guest triple-faulted (or executed a shutdown cycle). */
    record TripleFault(int vcpu) implements VcpuStop {}

    /** KVM_EXIT_SYSTEM_EVENT with a shutdown or reset request (e.g. PSCI, Hyper-V). */
    record SystemEvent(int vcpu, int type) implements VcpuStop {}

    /** KVM could not run the guest: internal error, failed entry, unexpected exit or KVM_RUN error. */
    record Failed(int vcpu, String detail, byte[] instructionBytes) implements VcpuStop {
        public Failed {
            instructionBytes = instructionBytes.clone();
        }

        @Override
        public byte[] instructionBytes() {
            return instructionBytes.clone();
        }
    }
}
