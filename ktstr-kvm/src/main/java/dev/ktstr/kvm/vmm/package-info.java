/**
 * The own virtual machine monitor for x86-64 over {@code /dev/kvm}: {@link dev.ktstr.kvm.vmm.KvmEngine}
 * (the {@link dev.ktstr.kvm.engine.VmEngine}), {@link dev.ktstr.kvm.vmm.KvmMachine} (one VM: setup,
 * vCPU threads, watchdog, how it ended), {@link dev.ktstr.kvm.vmm.KvmHost} (which KVM this host has) and
 * {@link dev.ktstr.kvm.vmm.FirmwareDump} (ACPI tables and CPUID of a topology, written to files).
 *
 * <p>Layers, each its own package and readable alone: {@code sys} (libc via JNA), {@code kvm} (ioctls
 * and structs), {@code memory} (guest RAM), {@code x86} (boot structures, CPUID), {@code acpi}
 * (firmware tables), {@code boot} (what goes where), {@code devices} (UARTs, PM, i8042) and
 * {@code vcpu} (run loop and kick). The initramfs builder and guest introspection live elsewhere
 * ({@code dev.ktstr.kvm.initramfs}, {@code dev.ktstr.kvm.introspect}).
 */
package dev.ktstr.kvm.vmm;
