/**
 * Booting a guest for a test or a CLI command: the kernel command line, the agent region, the chosen
 * {@link dev.ktstr.kvm.engine.VmEngine}, the agent handshake, and every way a boot can fail as a named
 * {@link dev.ktstr.runtime.vm.BootFailure}. What runs inside the guest afterwards is the scenario
 * layer's business.
 */
package dev.ktstr.runtime.vm;
