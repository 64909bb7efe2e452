package dev.ktstr.runtime.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.runtime.stats.synth.NoiseModel;
import dev.ktstr.runtime.stats.synth.SyntheticSuite;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaselinesTest {

    @TempDir
    Path root;

    @Test
    void noRegressionAgainstAnIdenticalConfiguration() throws Exception {
        SyntheticSuite s = new SyntheticSuite(NoiseModel.VM_TYPICAL, 1, 3);
        Path a = Fixtures.write(root.resolve("a"), s.side(new Random(1), "7.3.4", 6, Map.of()));
        Path b = Fixtures.write(root.resolve("b"), s.side(new Random(2), "7.3.4", 6, Map.of()));
        Comparison c = Baselines.assertNoRegression(a, b, ComparePolicy.defaults());
        assertEquals(3, c.counts().pairsCompared());
    }

    @Test
    void aRegressionFailsWithTheEvidence() throws Exception {
        Path[] ab = Fixtures.abPair(root);
        AssertionError e = assertThrows(AssertionError.class,
                () -> Baselines.assertNoRegression(ab[0], ab[1], ComparePolicy.defaults()));
        assertTrue(e.getMessage().startsWith("[KtstrRegression] "), e.getMessage());
        assertTrue(e.getMessage().contains("worst_p99_wake_latency_us"), e.getMessage());
        assertTrue(e.getMessage().contains("summary: 6 pairs compared"), e.getMessage());
    }

    @Test
    void comparingNothingFails() throws Exception {
        Path a = Fixtures.write(root.resolve("a"), java.util.List.of(Fixtures.run("x", "k", 0, Map.of())));
        Path b = Fixtures.write(root.resolve("b"), java.util.List.of(Fixtures.run("y", "k", 0, Map.of())));
        AssertionError e = assertThrows(AssertionError.class,
                () -> Baselines.assertNoRegression(a, b, ComparePolicy.defaults()));
        assertTrue(e.getMessage().startsWith("[KtstrNothingCompared]"), e.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Baselines.assertNoRegression(root.resolve("nope"), b, ComparePolicy.defaults()));
        assertTrue(missing.getMessage().contains("[KtstrNoResults]"));
    }
}
