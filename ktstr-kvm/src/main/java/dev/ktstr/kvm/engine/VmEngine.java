package dev.ktstr.kvm.engine;

/** Something that can boot a {@link VmSpec}. Implementations: the own KVM VMM and QEMU. */
public interface VmEngine {

    /** Short stable id: {@code kvm}, {@code qemu-kvm} or {@code qemu-tcg}. */
    String id();

    /** Whether this engine can run stock kernels on this host, and if not, why. */
    EngineAvailability availability();

    /**
     * Boots the VM. Returns once the VM process/threads run; the guest may still be booting.
     *
     * @throws VmStartException with a named reason when the VM cannot be started at all
     */
    RunningVm start(VmSpec spec) throws VmStartException;
}
