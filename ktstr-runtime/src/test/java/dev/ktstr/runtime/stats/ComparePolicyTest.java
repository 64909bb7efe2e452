package dev.ktstr.runtime.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.runtime.result.ResultFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComparePolicyTest {

    @TempDir
    Path dir;

    private ComparePolicy load(String json) throws IOException {
        Path f = dir.resolve("p.json");
        Files.writeString(f, json);
        return ComparePolicy.defaults().withPolicyFile(f, ResultFiles.mapper());
    }

    @Test
    void policyFileSetsEveryKnob() throws IOException {
        ComparePolicy p = load("""
                {"default_percent": 10, "per_metric_percent": {"worst_gap_ms": 40},
                 "per_metric_absolute": {"worst_gap_ms": 200}, "alpha": 0.01, "test": "welch", "fdr": false,
                 "repeated_gate_scale": 1.0, "power": 0.9, "pair_by": ["test", "topology"]}""");
        Metric gap = Metrics.byName("worst_gap_ms");
        Metric p99 = Metrics.byName("worst_p99_wake_latency_us");
        assertEquals(0.40, p.relGate(gap, true), 1e-12);
        assertEquals(200, p.absGate(gap, true));
        assertEquals(0.10, p.relGate(p99, false), 1e-12);
        assertEquals(50, p.absGate(p99, true), "scale 1.0 keeps the registry's absolute gate");
        assertEquals(0.01, p.alpha());
        assertEquals(StatTest.WELCH, p.test());
        assertEquals(false, p.fdr());
        assertEquals(0.9, p.power());
        assertEquals(List.of(Dimension.TEST, Dimension.TOPOLOGY), p.pairBy());
    }

    @Test
    void ktstrStylePolicyFilesWork() throws IOException {
        ComparePolicy p = load("{\"default_percent\": 15, \"per_metric_percent\": {\"total_iterations\": 5}}");
        assertEquals(0.15, p.relGate(Metrics.byName("worst_spread"), true), 1e-12);
        assertEquals(0.05, p.relGate(Metrics.byName("total_iterations"), false), 1e-12);
    }

    @Test
    void typosAreNamedErrors() {
        IllegalArgumentException key = assertThrows(IllegalArgumentException.class,
                () -> load("{\"default_pct\": 10}"));
        assertTrue(key.getMessage().startsWith("[KtstrPolicy]") && key.getMessage().contains("default_pct"));
        IllegalArgumentException metric = assertThrows(IllegalArgumentException.class,
                () -> load("{\"per_metric_percent\": {\"p99\": 10}}"));
        assertTrue(metric.getMessage().contains("unknown metric 'p99'"), metric.getMessage());
        assertThrows(IllegalArgumentException.class, () -> load("{\"alpha\": \"small\"}"));
        assertThrows(IllegalArgumentException.class, () -> load("{\"alpha\": 2}"));
        assertThrows(IllegalArgumentException.class, () -> load("{\"test\": \"ks\"}"));
        assertThrows(IllegalArgumentException.class, () -> load("{\"pair_by\": [\"colour\"]}"));
        assertThrows(IOException.class, () -> ComparePolicy.defaults().withPolicyFile(dir.resolve("none.json"),
                ResultFiles.mapper()));
    }
}
