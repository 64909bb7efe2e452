package dev.ktstr.runtime.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.runtime.result.CgroupStats;
import dev.ktstr.runtime.testing.ReportBuilder;
import dev.ktstr.topology.Topology;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatisticsTest {

    private static final Topology TOPO = new Topology(2, 2, 2, 1);

    private static CgroupStats stats(String name, ReportBuilder... workers) {
        List<dev.ktstr.runtime.measure.WorkerReport> rs = java.util.Arrays.stream(workers).map(ReportBuilder::build).toList();
        return CgroupStatistics.of(name, new CgroupSample(name, "step 0", List.of(new GroupSample(1, "CpuSpin", false,
                null, rs))), TOPO);
    }

    @Test
    void cgroupStatisticsFollowTheDefinitions() {
        CgroupStats s = stats("cg_0",
                ReportBuilder.worker(0).time(900_000_000L, 1_000_000_000L).work(10, 1000).migrations(10).cpus("0-1")
                        .gap(5_000_000L, 1, 0).wake(1_000, 2_000, 3_000, 100_000).runDelay(4_000)
                        .pages(List.of(80L, 20L), 5),
                ReportBuilder.worker(1).time(800_000_000L, 1_000_000_000L).work(10, 3000).migrations(30).cpus("1")
                        .gap(7_000_000L, 0, 0).runDelay(8_000).pages(List.of(100L, 0L), 50));
        assertEquals(2, s.workers());
        assertEquals(15.0, s.avgOffCpuPct(), 1e-9);
        assertEquals(10.0, s.minOffCpuPct(), 1e-9);
        assertEquals(20.0, s.maxOffCpuPct(), 1e-9);
        assertEquals(10.0, s.spreadPct(), 1e-9);
        assertEquals(7.0, s.maxGapMs(), 1e-9);
        assertEquals(0, s.maxGapCpu());
        assertEquals(40, s.totalMigrations());
        assertEquals(0.01, s.migrationRatio(), 1e-12);
        assertEquals(4000, s.totalIterations());
        assertEquals(2000.0, s.iterationsPerWorker(), 1e-9);
        assertEquals(6.0, s.meanRunDelayUs(), 1e-9);
        assertEquals(8.0, s.worstRunDelayUs(), 1e-9);
        assertEquals(2.0, s.medianWakeLatencyUs(), 0.01);
        assertEquals(100.0, s.p99WakeLatencyUs(), 0.5);
        assertEquals(s.p99WakeLatencyUs() / s.medianWakeLatencyUs(), s.wakeLatencyTailRatio(), 1e-9);
        assertEquals(0.9, s.pageLocality(), 1e-9, "(80 + 100) of 200 pages on node 0");
        assertEquals(0.5, s.crossNodeMigrationRatio(), 1e-9, "worst worker: 50 of 100");
        assertEquals("0-1", s.cpusUsed());
    }

    @Test
    void valuesThatDoNotApplyAreNaNAndLeftOutOfTheMetrics() {
        CgroupStats s = stats("cg_0", ReportBuilder.worker(0));
        assertTrue(Double.isNaN(s.p99WakeLatencyUs()));
        assertTrue(Double.isNaN(s.pageLocality()));
        Map<String, Double> m = ScenarioMetrics.of(List.of(s));
        assertFalse(m.containsKey("worst_p99_wake_latency_us"));
        assertFalse(m.containsKey("worst_page_locality"));
        assertEquals(1000.0, m.get("total_iterations"));
    }

    @Test
    void scenarioMetricsTakeTheWorstAndSumCounters() {
        CgroupStats a = stats("a", ReportBuilder.worker(0).time(900_000_000L, 1_000_000_000L).work(1, 100).migrations(5)
                .gap(9_000_000L, 0, 0), ReportBuilder.worker(1).time(500_000_000L, 1_000_000_000L).work(1, 100));
        CgroupStats b = stats("b", ReportBuilder.worker(0).work(1, 1000).migrations(1).gap(2_000_000L, 0, 0)
                .pages(List.of(1L, 1L), 0));
        Map<String, Double> m = ScenarioMetrics.of(List.of(a, b));
        assertEquals(40.0, m.get("worst_spread"), 1e-9);
        assertEquals(9.0, m.get("worst_gap_ms"), 1e-9);
        assertEquals(6.0, m.get("total_migrations"));
        assertEquals(0.025, m.get("worst_migration_ratio"), 1e-12);
        assertEquals(1200.0, m.get("total_iterations"));
        assertEquals(100.0, m.get("worst_iterations_per_worker"), "higher is better, so the worst is the lowest");
        assertEquals(0.5, m.get("worst_page_locality"));
        assertTrue(ScenarioMetrics.NAMES.containsAll(m.keySet()));
    }

    @Test
    void theStatsBlockSummarisesAndListsEachCgroup() {
        CgroupStats a = stats("cg_0", ReportBuilder.worker(0).cpus("0-1").migrations(3),
                ReportBuilder.worker(1).cpus("2").time(900_000_000L, 1_000_000_000L));
        String block = StatsBlock.format(List.of(a), ScenarioMetrics.of(List.of(a)));
        assertTrue(block.startsWith("--- stats ---\n2 workers, 3 cpus, 3 migrations, worst_spread=10.0%, worst_gap=1ms\n"),
                block);
        assertTrue(block.contains("  cg_0: 2 workers, cpus 0-2, off-cpu 0.0..10.0%, spread 10.0%, gap 1ms (cpu 0), "
                + "migrations 3, iterations 2000"), block);
    }
}
