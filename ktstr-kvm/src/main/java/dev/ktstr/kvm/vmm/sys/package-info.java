/**
 * The operating-system boundary of the VMM: glibc functions bound by JNA direct mapping
 * ({@link dev.ktstr.kvm.vmm.sys.LibC}), errno names, and the exception a failed call becomes. Follows
 * the Linux man pages (ioctl(2), mmap(2), memfd_create(2), sigtimedwait(2), tgkill(2)); nothing here
 * knows about KVM, which lives in {@code dev.ktstr.kvm.vmm.kvm}.
 */
package dev.ktstr.kvm.vmm.sys;
