package dev.ktstr.runtime.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ktstr.topology.Topology;
import java.util.List;
import java.util.Optional;
import dev.ktstr.runtime.runner.RunnerVmEnvironment;
import org.junit.jupiter.api.Test;

class VmEnvironmentsTest {

    private static final Topology SMALL = new Topology(1, 1, 2, 1);

    @Test
    void withoutProvidersNoVmEngineSaysWhy() {
        VmEnvironments env = new VmEnvironments(List.of());
        assertEquals(Optional.of(NoVmEngine.REASON), env.unavailableReason());
        assertEquals(Optional.of(NoVmEngine.REASON), env.cannotRun(SMALL, 256));
    }

    @Test
    void everyProviderIsAGate() {
        VmEnvironment yes = new VmEnvironment() {
            @Override
            public Optional<String> unavailableReason() {
                return Optional.empty();
            }

            @Override
            public Optional<String> cannotRun(Topology t, long mb) {
                return Optional.empty();
            }
        };
        VmEnvironment memory = new VmEnvironment() {
            @Override
            public Optional<String> unavailableReason() {
                return Optional.empty();
            }

            @Override
            public Optional<String> cannotRun(Topology t, long mb) {
                return mb > 1024 ? Optional.of("only 1024 MiB free") : Optional.empty();
            }
        };
        VmEnvironments env = new VmEnvironments(List.of(yes, memory));
        assertEquals(Optional.empty(), env.unavailableReason());
        assertEquals(Optional.empty(), env.cannotRun(SMALL, 512));
        assertEquals(Optional.of("only 1024 MiB free"), env.cannotRun(SMALL, 2048));
    }

    @Test
    void theServiceLoaderFindsRegisteredProviders() {
        List<VmEnvironment> gates = VmEnvironments.of(getClass().getClassLoader()).gates();
        // The test fixture's provider and the runtime's real one (dev.ktstr.runtime.runner).
        assertEquals(java.util.Set.of(LauncherFixtures.SwitchableGate.class, RunnerVmEnvironment.class),
                gates.stream().map(Object::getClass).collect(java.util.stream.Collectors.toSet()));
    }
}
