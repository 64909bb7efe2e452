/**
 * The KVM API as the VMM uses it: the system, VM and vCPU file descriptors, ioctl numbers,
 * capability numbers and the structs passed through them, each read and written at the offsets of
 * {@code <linux/kvm.h>} for x86-64 (Documentation/virt/kvm/api.rst). No policy lives here: which
 * registers to set, which CPUID to present and how to run a vCPU belong to {@code x86} and
 * {@code vcpu}.
 */
package dev.ktstr.kvm.vmm.kvm;
