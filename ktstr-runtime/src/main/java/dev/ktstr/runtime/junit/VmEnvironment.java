package dev.ktstr.runtime.junit;

import dev.ktstr.topology.Topology;
import java.util.Optional;

/**
 * The service {@link KtstrEnvironmentCondition} asks whether this host can run VM variants: found by
 * {@link java.util.ServiceLoader} ({@code META-INF/services/dev.ktstr.runtime.junit.VmEnvironment}).
 * Every provider found is a gate, and a variant runs only if all of them let it; with none, the
 * built-in {@link NoVmEngine} says no. Answers are reasons to skip, phrased for a test report
 * ("no /dev/kvm and no qemu-system-x86_64 on PATH"), never failures.
 */
public interface VmEnvironment {

    /** Why no VM can run on this host at all, or empty when VMs can run. Asked once per generated class. */
    Optional<String> unavailableReason();

    /**
     * Why this host cannot run a VM of this shape (too few CPUs, too little memory, no SMT support),
     * or empty when it can. Asked once per VM variant.
     */
    Optional<String> cannotRun(Topology topology, long memoryMb);
}
