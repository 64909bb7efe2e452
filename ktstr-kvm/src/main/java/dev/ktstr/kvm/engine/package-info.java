/**
 * The one interface the runtime boots VMs through: a {@link dev.ktstr.kvm.engine.VmSpec} goes in, a
 * {@link dev.ktstr.kvm.engine.RunningVm} comes out, and every way it can end is a named
 * {@link dev.ktstr.kvm.engine.VmExit}. {@link dev.ktstr.kvm.engine.EngineSelector} picks the engine
 * (own VMM on hardware KVM, else QEMU with KVM, else QEMU TCG) and says why.
 *
 * <p>Engines know nothing about scenarios: they boot a kernel with an initramfs and a command line,
 * expose COM1 (console), COM2 (the agent's doorbell line) and guest RAM, and report how the VM ended.
 */
package dev.ktstr.kvm.engine;
