package dev.ktstr.runtime.junit;

import dev.ktstr.topology.Topology;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Stand-ins for generated classes, run by {@link LauncherTest} through a real JUnit Launcher. Their
 * variants are listed in {@code src/test/resources/META-INF/ktstr/variants/}. The nested classes are
 * not picked up by Surefire itself (it skips nested classes).
 */
final class LauncherFixtures {

    /** What the fixture tests ran, as {@code Class#method}. */
    static final List<String> RAN = Collections.synchronizedList(new ArrayList<>());

    private LauncherFixtures() {}

    @ExtendWith(KtstrEnvironmentCondition.class)
    static final class Vm {
        @Test
        void small() {
            RAN.add("Vm#small");
        }

        @Test
        void large() {
            RAN.add("Vm#large");
        }
    }

    @ExtendWith(KtstrEnvironmentCondition.class)
    static final class Host {
        @Test
        void one() {
            RAN.add("Host#one");
        }

        @Test
        void two() {
            RAN.add("Host#two");
        }
    }

    /** An ordinary test class: in no manifest. */
    static final class Plain {
        @Test
        void plain() {
            RAN.add("Plain#plain");
        }
    }

    /**
     * The test classpath's {@link VmEnvironment} (registered in {@code src/test/resources}): VMs are
     * unavailable unless {@link #available} is set, and then only up to 4 CPUs.
     */
    public static final class SwitchableGate implements VmEnvironment {

        static volatile boolean available;

        @Override
        public Optional<String> unavailableReason() {
            return available ? Optional.empty() : Optional.of("test gate is off");
        }

        @Override
        public Optional<String> cannotRun(Topology topology, long memoryMb) {
            return topology.totalCpus() > 4
                    ? Optional.of("needs " + topology.totalCpus() + " CPUs, the test gate allows 4")
                    : Optional.empty();
        }
    }
}
