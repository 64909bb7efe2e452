/**
 * vCPU execution: one platform thread per vCPU running {@code KVM_RUN} in a loop and dispatching exits
 * ({@link dev.ktstr.kvm.vmm.vcpu.VcpuThread}), and the kick that pulls a vCPU out of the guest
 * ({@link dev.ktstr.kvm.vmm.vcpu.SignalKick}: immediate_exit plus a signal unblocked only inside
 * KVM_RUN). What an exit means for the machine — power off, reset, failure — is decided by the machine
 * through {@link dev.ktstr.kvm.vmm.vcpu.VcpuHost}.
 */
package dev.ktstr.kvm.vmm.vcpu;
