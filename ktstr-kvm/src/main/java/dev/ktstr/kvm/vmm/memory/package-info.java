/**
 * Guest RAM: {@link dev.ktstr.kvm.vmm.memory.MemoryLayout} places RAM, NUMA node slices, the 32-bit
 * MMIO hole and the agent region in the guest-physical address space (pure arithmetic), and
 * {@link dev.ktstr.kvm.vmm.memory.GuestRam} backs it with one shared memfd mapping that implements
 * {@link dev.ktstr.kvm.engine.GuestMemory}. Firmware tables and boot structures are written by
 * {@code x86} and {@code acpi}, not here.
 */
package dev.ktstr.kvm.vmm.memory;
