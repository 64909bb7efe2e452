package dev.ktstr.runtime.cli.scenario;

/**
 * Opens {@link GuestSession}s: boots a VM of the target's topology, or starts the agent as a child
 * process on the host. The integrator implements it.
 */
@FunctionalInterface
public interface GuestSessionFactory {

    /** A ready session; throws with a clear reason when it cannot (no kernel, no /dev/kvm, no cgroup v2…). */
    GuestSession open(RunPlan.Target target) throws Exception;
}
