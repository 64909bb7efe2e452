/**
 * Benchmarks of the own virtual machine monitor: VM creation, time to the guest's first instruction
 * and to power-off, per entry path and vCPU count, beside QEMU booting the same guest.
 */
package dev.ktstr.bench.vmm;
