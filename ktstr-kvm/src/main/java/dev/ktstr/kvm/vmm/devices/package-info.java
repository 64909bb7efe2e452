/**
 * The emulated devices of the machine: the I/O port bus, two 16550A UARTs (COM1 for the console,
 * COM2 for the agent's doorbell), the ACPI PM1 power-management block and reset register, an i8042
 * whose reset ends the VM, and a CMOS stand-in. The interrupt controllers and PIT are KVM's own
 * (in-kernel); devices drive their interrupt lines through {@link dev.ktstr.kvm.vmm.devices.IrqLine}.
 * Nothing here knows about vCPU threads or VM lifetime.
 */
package dev.ktstr.kvm.vmm.devices;
