package dev.ktstr.runtime.agent;

/**
 * The agent's HELLO.
 *
 * @param agentVersion  wire/agent version
 * @param kernelRelease {@code uname -r} of the guest
 * @param cpus          online CPUs the agent sees
 * @param bootNs        CLOCK_BOOTTIME when the agent started (≈ kernel boot time to init)
 * @param mode          {@code vm} or {@code host}
 * @param cgroupProblem why cgroups/cpusets cannot be used there, or "" when they can
 */
public record AgentInfo(int agentVersion, String kernelRelease, int cpus, long bootNs, String mode,
        String cgroupProblem) {

    public boolean cgroupsUsable() {
        return cgroupProblem.isEmpty();
    }
}
