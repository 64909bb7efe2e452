/**
 * x86 boot: the bzImage setup header and zero page (Documentation/arch/x86/boot.rst, zero-page.rst),
 * the PVH entry of an ELF vmlinux and its {@code hvm_start_info} (Xen start_info.h), the e820 map,
 * identity page tables, GDT and boot segment state (Intel SDM Vol. 3A ch. 3–4), boot MSRs and the
 * per-vCPU CPUID topology leaves. Pure data builders: they produce bytes and register values and never
 * touch KVM or guest memory themselves.
 */
package dev.ktstr.kvm.vmm.x86;
