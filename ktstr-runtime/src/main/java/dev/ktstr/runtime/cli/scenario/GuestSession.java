package dev.ktstr.runtime.cli.scenario;

import dev.ktstr.runtime.agent.GuestAgent;
import dev.ktstr.runtime.scenario.engine.SchedulerWatch;
import dev.ktstr.topology.Topology;
import java.util.Optional;

/**
 * A place to run scenarios: a booted VM with its agent, or the agent as a child process on the
 * host. Closing it powers the VM off (or stops the agent) and removes everything it created.
 */
public interface GuestSession extends AutoCloseable {

    GuestAgent agent();

    /** The exact topology scenarios resolve against (the VM's, or the host's). */
    Topology topology();

    /** The scheduler's health, asked at step boundaries. */
    default SchedulerWatch watch() {
        return SchedulerWatch.NONE;
    }

    /** One line for humans, e.g. {@code VM 1n2l2c1t (qemu-tcg, kernel 7.3.4)}. */
    String describe();

    /** Why cpusets cannot be written here (e.g. no cpuset controller on the host), if so. */
    default Optional<String> cpusetLimitation() {
        return Optional.empty();
    }

    @Override
    void close();
}
