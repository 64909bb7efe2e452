package dev.ktstr.kvm.vmm;

import dev.ktstr.kvm.engine.EngineAvailability;
import dev.ktstr.kvm.engine.RunningVm;
import dev.ktstr.kvm.engine.VmEngine;
import dev.ktstr.kvm.engine.VmSpec;
import dev.ktstr.kvm.engine.VmStartException;
import dev.ktstr.kvm.vmm.boot.CowInitramfsLoader;
import dev.ktstr.kvm.vmm.boot.InitramfsLoader;

/**
 * The own virtual machine monitor as a {@link VmEngine} (id {@code kvm}): boots stock kernels on
 * hosts with hardware KVM. It refuses to start where {@link #availability()} says it cannot run a
 * stock kernel (no /dev/kvm, no permission, PVM); {@link KvmMachine#start} is the lower-level entry
 * that boots anyway.
 */
public final class KvmEngine implements VmEngine {

    public static final String ID = "kvm";

    private final InitramfsLoader initramfsLoader;

    /** The engine as ServiceLoader creates it: a cached initramfs base is mapped copy-on-write, the rest copied. */
    public KvmEngine() {
        this(new CowInitramfsLoader());
    }

    /**
     * An engine that puts the initramfs into guest RAM with {@code initramfsLoader} (e.g. one that maps
     * a cached base archive copy-on-write instead of copying it).
     */
    public KvmEngine(InitramfsLoader initramfsLoader) {
        this.initramfsLoader = initramfsLoader;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public EngineAvailability availability() {
        return KvmHost.availability();
    }

    @Override
    public RunningVm start(VmSpec spec) throws VmStartException {
        EngineAvailability a = availability();
        if (!a.usable()) {
            throw new VmStartException("the kvm engine cannot run here: " + a.reason());
        }
        return KvmMachine.start(spec, initramfsLoader);
    }
}
