package dev.ktstr.runtime.junit;

import dev.ktstr.topology.Topology;
import java.util.Optional;

/**
 * The {@link VmEnvironment} used when no provider is registered: no VM engine is wired into the
 * runtime, so every VM variant is skipped with that reason rather than failed or, worse, passed.
 */
public final class NoVmEngine implements VmEnvironment {

    public static final String REASON = "no VM engine is wired into the runtime yet";

    @Override
    public Optional<String> unavailableReason() {
        return Optional.of(REASON);
    }

    @Override
    public Optional<String> cannotRun(Topology topology, long memoryMb) {
        return Optional.of(REASON);
    }
}
