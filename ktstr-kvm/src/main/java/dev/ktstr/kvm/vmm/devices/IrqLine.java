package dev.ktstr.kvm.vmm.devices;

/**
 * An interrupt request line into the in-kernel interrupt controllers. Devices drive it like a wire:
 * {@code true} asserts, {@code false} deasserts; an ISA edge-triggered pin sees an edge on each rise.
 */
@FunctionalInterface
public interface IrqLine {

    void set(boolean level);
}
