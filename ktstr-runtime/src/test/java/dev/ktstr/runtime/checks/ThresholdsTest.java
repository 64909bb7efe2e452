package dev.ktstr.runtime.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.annotations.Checks;
import dev.ktstr.annotations.KtstrTest;
import dev.ktstr.annotations.Scheduler;
import dev.ktstr.annotations.Toggle;
import dev.ktstr.runtime.Ctx;
import org.junit.jupiter.api.Test;

class ThresholdsTest {

    @Scheduler(name = "demo", checks = @Checks(maxGapMs = 3000, maxSpreadPct = 25, isolation = Toggle.ON))
    enum DemoFlag {}

    @KtstrTest(scheduler = DemoFlag.class, maxGapMs = 1500, notStarved = Toggle.OFF, maxThroughputCv = 0.4)
    void annotated(Ctx ctx) {}

    @KtstrTest
    void plain(Ctx ctx) {}

    @Test
    void defaultsAreStarvationSpreadGapAndTheMonitorLimits() {
        Thresholds d = Thresholds.defaults();
        assertEquals(Boolean.TRUE, d.notStarved());
        assertEquals(15.0, d.maxSpreadPct());
        assertEquals(2000L, d.maxGapMs());
        assertNull(d.isolation());
        assertNull(d.maxP99WakeLatencyNs());
        assertEquals(4.0, d.maxImbalanceRatio());
        assertEquals(50L, d.maxLocalDsqDepth());
        assertEquals(5L, d.sustainedSamples());
        assertEquals(200.0, d.maxFallbackRate());
        assertEquals(100.0, d.maxKeepLastRate());
        assertEquals(Boolean.TRUE, d.failOnStall());
    }

    @Test
    void layersMergeDefaultsThenSchedulerThenTestAndInheritMeansUnset() throws Exception {
        Scheduler s = DemoFlag.class.getAnnotation(Scheduler.class);
        KtstrTest t = ThresholdsTest.class.getDeclaredMethod("annotated", Ctx.class).getAnnotation(KtstrTest.class);
        Thresholds merged = Thresholds.effective(null, Thresholds.of(s), Thresholds.of(t));
        assertEquals(1500L, merged.maxGapMs(), "the test wins over the scheduler");
        assertEquals(25.0, merged.maxSpreadPct(), "the scheduler wins over the default");
        assertEquals(Boolean.TRUE, merged.isolation());
        assertEquals(Boolean.FALSE, merged.notStarved());
        assertEquals(0.4, merged.maxThroughputCv());
        assertEquals(4.0, merged.maxImbalanceRatio(), "untouched defaults survive");

        KtstrTest plain = ThresholdsTest.class.getDeclaredMethod("plain", Ctx.class).getAnnotation(KtstrTest.class);
        assertEquals(Thresholds.NONE, Thresholds.of(plain), "every attribute left at INHERIT sets nothing");
    }

    @Test
    void aScenarioLayerSitsBetweenDefaultsAndTheScheduler() {
        Thresholds scenario = Thresholds.builder().maxSpreadPct(75).maxGapMs(1500).build();
        Thresholds scheduler = Thresholds.builder().maxGapMs(900).build();
        Thresholds t = Thresholds.effective(scenario, scheduler, null);
        assertEquals(75.0, t.maxSpreadPct());
        assertEquals(900L, t.maxGapMs());
    }

    @Test
    void formatShowsEveryThresholdWithNoneForUnset() {
        String f = Thresholds.defaults().format();
        assertTrue(f.contains("  not_starved:                    true\n"), f);
        assertTrue(f.contains("  max_gap_ms:                     2000\n"), f);
        assertTrue(f.contains("  max_spread_pct:                 15.0\n"), f);
        assertTrue(f.contains("  isolation:                      none\n"), f);
        assertTrue(f.contains("  max_p99_wake_latency_ns:        none\n"), f);
        assertEquals(Thresholds.names().size(), f.lines().count());
    }

    @Test
    void nonsenseValuesAreRejectedWithTheirName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Thresholds.builder().minPageLocality(1.5).build());
        assertTrue(e.getMessage().startsWith("min_page_locality is a fraction"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Thresholds.builder().maxGapMs(-5).build());
    }

    @Test
    void toBuilderKeepsValues() {
        Thresholds t = Thresholds.defaults().toBuilder().maxGapMs(10).build();
        assertEquals(10L, t.maxGapMs());
        assertEquals(15.0, t.maxSpreadPct());
    }
}
