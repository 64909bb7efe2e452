/**
 * Reading a running guest kernel from the host, without its help: BTF ({@link
 * dev.ktstr.kvm.introspect.Btf}, Documentation/bpf/btf.rst), symbol addresses ({@link
 * dev.ktstr.kvm.introspect.KernelSymbols} from a vmlinux symtab or the guest's {@code /proc/kallsyms},
 * cached per build id by {@link dev.ktstr.kvm.introspect.KallsymsCache}), x86-64 kernel address
 * translation and page-table walks ({@link dev.ktstr.kvm.introspect.KernelAddressSpace}), and the
 * validated combination of all three ({@link dev.ktstr.kvm.introspect.KernelView}). On top of that sit
 * the kernel layouts the monitor samples ({@link dev.ktstr.kvm.introspect.RunqueueLayout}, {@link
 * dev.ktstr.kvm.introspect.ScxEventLayout}), the sched_ext watchdog override and BPF array map access.
 *
 * <p>Guest RAM itself comes from the VM engines ({@code dev.ktstr.kvm.engine.GuestMemory}); sampling
 * policy, thresholds and summaries are the runtime's ({@code dev.ktstr.runtime.monitor}), not here.
 * Everything requires a guest booted with {@code nokaslr}: a randomized kernel is detected and refused
 * ({@link dev.ktstr.kvm.introspect.KaslrActiveException}).
 */
package dev.ktstr.kvm.introspect;
