/**
 * Turning a {@link dev.ktstr.kvm.engine.VmSpec} into guest memory contents: which entry path a kernel
 * takes ({@link dev.ktstr.kvm.vmm.boot.BootKernel}), where the command line, initrd and firmware
 * tables go ({@link dev.ktstr.kvm.vmm.boot.BootPlan}), the final command line, and the
 * {@link dev.ktstr.kvm.vmm.boot.InitramfsLoader} seam. The byte formats themselves are in {@code x86}
 * and {@code acpi}.
 */
package dev.ktstr.kvm.vmm.boot;
