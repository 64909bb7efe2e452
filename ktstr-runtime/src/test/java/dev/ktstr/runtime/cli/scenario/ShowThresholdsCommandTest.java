package dev.ktstr.runtime.cli.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.annotations.Checks;
import dev.ktstr.annotations.KtstrTest;
import dev.ktstr.annotations.Scheduler;
import dev.ktstr.runtime.Ctx;
import org.junit.jupiter.api.Test;

class ShowThresholdsCommandTest {

    @Scheduler(name = "qmap", binary = "scx_qmap", checks = @Checks(maxGapMs = 3000, maxImbalanceRatio = 6))
    enum QmapFlag {}

    @KtstrTest(scheduler = QmapFlag.class, maxSpreadPct = 40)
    void fairEnough(Ctx ctx) {}

    @Test
    void aTestShowsDefaultsThenSchedulerThenTest() {
        CliTestSupport.Result r = CliTestSupport.run(new ShowThresholdsCommand(),
                ShowThresholdsCommandTest.class.getName() + "#fairEnough");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("Test: " + ShowThresholdsCommandTest.class.getName() + "#fairEnough\n"
                + "Scheduler: qmap (" + QmapFlag.class.getName() + ")\nResolved assertion thresholds:\n"), r.out());
        assertTrue(r.out().contains("  max_gap_ms:                     3000\n"), r.out());
        assertTrue(r.out().contains("  max_spread_pct:                 40.0\n"), r.out());
        assertTrue(r.out().contains("  max_imbalance_ratio:            6.0\n"), r.out());
        assertTrue(r.out().contains("  isolation:                      none\n"), r.out());
    }

    @Test
    void aScenarioShowsItsOwnLayer() {
        CliTestSupport.Result r = CliTestSupport.run(new ShowThresholdsCommand(), "cgroup_dsq_contention");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("Scenario: cgroup_dsq_contention (stress)\n"), r.out());
        assertTrue(r.out().contains("  max_gap_ms:                     1500\n"), r.out());
    }

    @Test
    void anUnknownNameSuggests() {
        CliTestSupport.Result r = CliTestSupport.run(new ShowThresholdsCommand(), "cgroup_per_cpus");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("no test or scenario named 'cgroup_per_cpus' (did you mean 'cgroup_per_cpu'?)"),
                r.err());
    }
}
