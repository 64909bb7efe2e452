package dev.ktstr.runtime;

import dev.ktstr.topology.Topology;
import java.time.Duration;

/**
 * What a {@code @KtstrTest} body works with: the VM's topology, the scenario duration and default
 * worker count, and the means to run scenarios against the guest. The body runs on the host; each
 * scenario step becomes requests to the agent in the guest.
 */
public interface Ctx {

    /** The exact topology of the VM this variant runs on. */
    Topology topology();

    /** The scenario duration ({@code durationS}). */
    Duration duration();

    /** Workers per cgroup when a scenario does not say ({@code workersPerCgroup}). */
    int workersPerCgroup();

    /** The variant being run. */
    Variant variant();
}
