package dev.ktstr.runtime.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;

/**
 * The filter (found by ServiceLoader, as in Surefire) and the condition (via {@code @ExtendWith}) in a
 * real JUnit Launcher run over {@link LauncherFixtures}.
 */
class LauncherTest {

    /** Skip reasons by {@code Class#method} (or {@code Class} for a skipped class). */
    private final Map<String, String> skipped = new TreeMap<>();

    /** The build's own values (Surefire forwards -Dktstr.shard and friends), restored afterwards. */
    private final Map<String, String> outer = new TreeMap<>();

    @BeforeEach
    void isolate() {
        for (String p : List.of(SelectionSettings.SHARD_PROPERTY, SelectionSettings.BUDGET_PROPERTY)) {
            String v = System.getProperty(p);
            if (v != null) {
                outer.put(p, v);
            }
            System.clearProperty(p);
        }
        LauncherFixtures.SwitchableGate.available = false;
        LauncherFixtures.RAN.clear();
    }

    @AfterEach
    void restore() {
        System.clearProperty(SelectionSettings.SHARD_PROPERTY);
        System.clearProperty(SelectionSettings.BUDGET_PROPERTY);
        outer.forEach(System::setProperty);
    }

    private TreeSet<String> run() {
        Launcher launcher = LauncherFactory.create();
        launcher.execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(LauncherFixtures.Vm.class), selectClass(LauncherFixtures.Host.class),
                        selectClass(LauncherFixtures.Plain.class))
                .build(), new TestExecutionListener() {
                    @Override
                    public void executionSkipped(TestIdentifier id, String reason) {
                        skipped.put(name(id), reason);
                    }

                    @Override
                    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                        if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                            throw new AssertionError(name(id) + " " + result);
                        }
                    }
                });
        return new TreeSet<>(LauncherFixtures.RAN);
    }

    private static String name(TestIdentifier id) {
        Object source = id.getSource().orElse(null);
        if (source instanceof MethodSource m) {
            return simple(m.getClassName()) + "#" + m.getMethodName();
        }
        return source instanceof ClassSource c ? simple(c.getClassName()) : id.getDisplayName();
    }

    private static String simple(String binaryName) {
        return binaryName.substring(binaryName.lastIndexOf('$') + 1);
    }

    @Test
    void vmClassesAreSkippedWithTheReasonWhenNoVmCanRun() {
        assertEquals(new TreeSet<>(List.of("Host#one", "Host#two", "Plain#plain")), run());
        assertEquals(Map.of("Vm", "ktstr: test gate is off"), skipped);
    }

    @Test
    void variantsTheHostCannotRunAreSkippedOneByOne() {
        LauncherFixtures.SwitchableGate.available = true;
        assertEquals(new TreeSet<>(List.of("Host#one", "Host#two", "Plain#plain", "Vm#small")), run());
        assertEquals(Map.of("Vm#large", "ktstr gauntlet/large/medium-4llc/default (1n4l4c2t, 2048 MiB): "
                + "needs 32 CPUs, the test gate allows 4"), skipped);
    }

    @Test
    void shardsSplitManifestVariantsAndLeaveOtherTestsAlone() {
        LauncherFixtures.SwitchableGate.available = true;
        System.setProperty(SelectionSettings.SHARD_PROPERTY, "1/2");
        TreeSet<String> first = run();
        LauncherFixtures.RAN.clear();
        System.setProperty(SelectionSettings.SHARD_PROPERTY, "2/2");
        TreeSet<String> second = run();
        // LPT by cost: large 9.36 → shard 1, two 5.5 → shard 2, small 4.32 → shard 2, one 2.5 → shard 1.
        // large is skipped by the gate, so shard 1 runs only "one" of the manifest variants.
        assertEquals(new TreeSet<>(List.of("Host#one", "Plain#plain")), first);
        assertEquals(new TreeSet<>(List.of("Host#two", "Plain#plain", "Vm#small")), second);
    }

    @Test
    void emptyPropertiesMeanUnset() {
        LauncherFixtures.SwitchableGate.available = true;
        System.setProperty(SelectionSettings.SHARD_PROPERTY, "");
        System.setProperty(SelectionSettings.BUDGET_PROPERTY, "");
        assertEquals(new TreeSet<>(List.of("Host#one", "Host#two", "Plain#plain", "Vm#small")), run());
    }
}
