package dev.ktstr.runtime.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.runtime.measure.WorkerReport;
import dev.ktstr.runtime.result.Outcome.Failure;
import dev.ktstr.runtime.testing.ReportBuilder;
import dev.ktstr.topology.CpuSet;
import dev.ktstr.topology.Topology;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every worker check, made to fail on purpose and made to pass. */
class WorkerChecksTest {

    private static final Topology TWO_NODES = new Topology(2, 2, 2, 1); // CPUs 0-1 node 0, 2-3 node 1

    private static CgroupSample sample(String cgroup, WorkerReport... reports) {
        return new CgroupSample(cgroup, "step 0", List.of(new GroupSample(1, "CpuSpin", false, null, List.of(reports))));
    }

    private static CgroupSample sample(CpuSet allowed, WorkerReport... reports) {
        return new CgroupSample("cg_0", "step 0", List.of(new GroupSample(1, "CpuSpin", false, allowed, List.of(reports))));
    }

    private static ReportBuilder w(int i) {
        return ReportBuilder.worker(i);
    }

    private static String only(List<Failure> failures) {
        assertEquals(1, failures.size(), failures.toString());
        return failures.get(0).message();
    }

    // ---- starved --------------------------------------------------------------------------------

    @Test
    void starvedFailsOnAWorkerWithNoWork() {
        List<Failure> f = WorkerChecks.starved(sample("cg_0", w(0).build(), w(1).pid(201).work(0, 0).time(0, 2_000_000_000L).build()));
        assertEquals("Starved", f.get(0).kind());
        assertEquals("Starved: cg_0 worker 1 (pid 201) [CpuSpin] made no progress (0 work units, 0 iterations, 0 ms CPU in 2000 ms)",
                only(f));
    }

    @Test
    void starvedPassesWhenEveryWorkerWorked() {
        assertTrue(WorkerChecks.starved(sample("cg_0", w(0).build(), w(1).work(1, 1).build())).isEmpty());
    }

    @Test
    void starvedJudgesCustomProgramsByCpuTime() {
        GroupSample custom = new GroupSample(1, "Custom", true, null,
                List.of(w(0).work(0, 0).build(), w(1).work(0, 0).time(0, 1_000_000_000L).build()));
        List<Failure> f = WorkerChecks.starved(new CgroupSample("cg_0", "step 0", List.of(custom)));
        assertTrue(only(f).startsWith("Starved: cg_0 worker 1 (pid 101) [Custom]"), f.toString());
    }

    // ---- unfair ---------------------------------------------------------------------------------

    @Test
    void unfairFailsWhenOffCpuSpreadExceedsTheLimit() {
        CgroupSample s = sample("cg_0", w(0).time(990_000_000L, 1_000_000_000L).build(),
                w(1).time(700_000_000L, 1_000_000_000L).build(), w(2).time(950_000_000L, 1_000_000_000L).build());
        assertEquals("Unfair: cg_0 [CpuSpin] off-CPU spread 29.0% > limit 15.0% (worker 0 (pid 100) 1.0% off-CPU, "
                + "worker 1 (pid 101) 30.0%; 3 workers)", only(WorkerChecks.unfair(s, 15.0)));
    }

    @Test
    void unfairPassesWithinTheLimitAndLeavesMessengersAndOtherGroupsOut() {
        CgroupSample s = new CgroupSample("cg_0", "step 0", List.of(
                new GroupSample(1, "FutexFanOut", false, null, List.of(w(0).messenger().time(1_000_000_000L,
                        1_000_000_000L).build(), w(1).time(500_000_000L, 1_000_000_000L).build(),
                        w(2).time(450_000_000L, 1_000_000_000L).build())),
                new GroupSample(2, "Bursty", false, null, List.of(w(0).group(2).time(300_000_000L, 1_000_000_000L)
                        .build()))));
        assertTrue(WorkerChecks.unfair(s, 15.0).isEmpty(), "messenger (0% off) and the Bursty group are not compared");
    }

    // ---- stuck ----------------------------------------------------------------------------------

    @Test
    void stuckFailsOnAGapOverTheLimit() {
        CgroupSample s = sample("cg_1", w(0).build(), w(1).build(), w(2).build(),
                w(3).pid(214).gap(2_450_000_000L, 2, 1_200_000_000L).build());
        assertEquals("Stuck: cg_1 worker 3 (pid 214) stuck 2450 ms on cpu 2 at +1.2 s (limit 2000 ms)",
                only(WorkerChecks.stuck(s, 2000)));
    }

    @Test
    void stuckPassesAtTheLimit() {
        assertTrue(WorkerChecks.stuck(sample("cg_1", w(0).gap(2_000_000_000L, 1, 0).build()), 2000).isEmpty());
    }

    // ---- isolation ------------------------------------------------------------------------------

    @Test
    void isolationFailsOnACpuOutsideTheAllowedSet() {
        assertEquals("Isolation: cg_0 worker 0 (pid 100) ran on CPUs 4-5 outside its allowed CPUs 0-3 (used 2-5)",
                only(WorkerChecks.isolation(sample(CpuSet.parse("0-3"), w(0).cpus("2-5").build()))));
    }

    @Test
    void isolationPassesInsideTheSetAndForUnrestrictedGroups() {
        assertTrue(WorkerChecks.isolation(sample(CpuSet.parse("0-3"), w(0).cpus("0,3").build())).isEmpty());
        assertTrue(WorkerChecks.isolation(sample((CpuSet) null, w(0).cpus("0-63").build())).isEmpty());
    }

    // ---- throughput parity and work rate --------------------------------------------------------

    @Test
    void throughputParityFailsWhenWorkPerCpuSecondVaries() {
        CgroupSample s = sample("cg_0", w(0).work(1_000_000, 1).build(), w(1).work(3_000_000, 1).build());
        String m = only(WorkerChecks.throughputParity(s, 0.3));
        assertTrue(m.startsWith("ThroughputParity: cg_0 [CpuSpin] work-rate CV 0.500 > limit 0.300 (slowest worker 0 (pid 100) 1.000e+06"), m);
    }

    @Test
    void throughputParityPassesForEqualRates() {
        CgroupSample s = sample("cg_0", w(0).work(2_000_000, 1).build(),
                w(1).work(1_000_000, 1).time(500_000_000L, 1_000_000_000L).build());
        assertTrue(WorkerChecks.throughputParity(s, 0.01).isEmpty(), "2e6 per 1 s CPU = 1e6 per 0.5 s CPU");
    }

    @Test
    void minWorkRateFailsBelowTheLimitAndPassesAbove() {
        CgroupSample s = sample("cg_0", w(0).work(1_200, 1).build(), w(1).work(9_000, 1).build());
        assertEquals("WorkRate: cg_0 worker 0 (pid 100) 1200 work units/cpu-s < limit 5000",
                only(WorkerChecks.minWorkRate(s, 5000)));
        assertTrue(WorkerChecks.minWorkRate(s, 1000).isEmpty());
    }

    // ---- wake latency ---------------------------------------------------------------------------

    @Test
    void wakeLatencyP99FailsOverTheLimit() {
        long[] slow = new long[100];
        java.util.Arrays.fill(slow, 2_000_000L);
        CgroupSample s = sample("cg_0", w(0).wake(10_000, 10_000).build(), w(1).wake(slow).build());
        String m = only(WorkerChecks.wakeLatencyP99(s, 1_000_000));
        assertTrue(m.startsWith("WakeLatency: cg_0 p99 wake latency 2000.0 us"), m);
        assertTrue(m.contains("> limit 1000.0 us (102 samples; worst worker 1 (pid 101)"), m);
    }

    @Test
    void wakeLatencyP99PassesUnderTheLimitAndWithoutSamples() {
        assertTrue(WorkerChecks.wakeLatencyP99(sample("cg_0", w(0).wake(5_000, 6_000).build()), 1_000_000).isEmpty());
        assertTrue(WorkerChecks.wakeLatencyP99(sample("cg_0", w(0).build()), 1).isEmpty());
    }

    @Test
    void wakeLatencyCvFailsForErraticLatencyAndPassesForSteady() {
        CgroupSample erratic = sample("cg_0", w(0).wake(1_000, 1_000, 1_000, 1_000_000).build());
        assertTrue(only(WorkerChecks.wakeLatencyCv(erratic, 1.0)).startsWith("WakeLatencyCv: cg_0 wake latency CV 1.7"));
        CgroupSample steady = sample("cg_0", w(0).wake(1_000, 1_000, 1_000, 1_000).build());
        assertTrue(WorkerChecks.wakeLatencyCv(steady, 0.01).isEmpty());
    }

    // ---- iteration rate and migrations ----------------------------------------------------------

    @Test
    void iterationRateFailsBelowTheLimitAndPassesAbove() {
        CgroupSample s = sample("cg_0", w(0).work(1, 25).time(1_000_000_000L, 2_000_000_000L).build());
        assertEquals("IterationRate: cg_0 worker 0 (pid 100) 12.5 iterations/s < limit 100.0/s (25 iterations in 2.00 s)",
                only(WorkerChecks.iterationRate(s, 100)));
        assertTrue(WorkerChecks.iterationRate(s, 10).isEmpty());
    }

    @Test
    void migrationRatioFailsOverTheLimitAndPassesUnder() {
        CgroupSample s = sample("cg_0", w(0).work(1, 2000).migrations(400).build(), w(1).work(1, 3000).migrations(15).build());
        assertEquals("MigrationRatio: cg_0 0.0830 migrations per iteration (415 / 5000) > limit 0.0500 "
                + "(most: worker 0 (pid 100), 400 migrations)", only(WorkerChecks.migrationRatio(s, 0.05)));
        assertTrue(WorkerChecks.migrationRatio(s, 0.1).isEmpty());
    }

    // ---- NUMA -----------------------------------------------------------------------------------

    @Test
    void pageLocalityFailsWhenPagesSitOnAnotherNode() {
        CgroupSample s = sample("cg_0", w(0).cpus("0-1").pages(List.of(420L, 604L), 0).build(),
                w(1).cpus("2").pages(List.of(10L, 990L), 0).build());
        assertEquals("PageLocality: cg_0 worker 0 (pid 100) 41.0% of 1024 pages on its nodes 0 < limit 80.0%",
                only(WorkerChecks.pageLocality(s, 0.8, TWO_NODES)));
        assertTrue(WorkerChecks.pageLocality(s, 0.4, TWO_NODES).isEmpty());
    }

    @Test
    void crossNodeMigrationFailsOverTheLimitAndPassesUnder() {
        CgroupSample s = sample("cg_0", w(0).cpus("0").pages(List.of(900L, 124L), 123).build());
        assertEquals("CrossNodeMigration: cg_0 worker 0 (pid 100) 12.0% of its pages migrated across nodes (123 / 1024) "
                + "> limit 5.0%", only(WorkerChecks.crossNodeMigration(s, 0.05)));
        assertTrue(WorkerChecks.crossNodeMigration(s, 0.2).isEmpty());
    }

    @Test
    void slowTierFailsWhenPagesLandOnMemoryOnlyNodes() {
        // node 2 has no CPUs in a 2-node topology: a memory-only (CXL-like) tier.
        CgroupSample s = sample("cg_0", w(0).pages(List.of(500L, 200L, 300L), 0).build());
        assertEquals("SlowTier: cg_0 30.0% of pages on memory-only nodes (300 / 1000) > limit 10.0%",
                only(WorkerChecks.slowTier(s, 0.1, TWO_NODES)));
        assertTrue(WorkerChecks.slowTier(s, 0.5, TWO_NODES).isEmpty());
    }

    // ---- dead workers ---------------------------------------------------------------------------

    @Test
    void workerDiedNamesHowEachWorkerEnded() {
        CgroupSample s = sample("cg_0", w(0).build(), w(1).exit(WorkerReport.ExitKind.EXITED, 3, 0).build(),
                w(2).exit(WorkerReport.ExitKind.TIMED_OUT, 0, 0).build(),
                w(3).exit(WorkerReport.ExitKind.SPAWN_FAILED, 2, 0).build());
        List<String> m = WorkerChecks.workerDied(s).stream().map(Failure::message).toList();
        assertEquals(List.of("WorkerDied: cg_0 worker 1 (pid 101) [CpuSpin] exited with code 3 without a report",
                "WorkerDied: cg_0 worker 2 (pid 102) [CpuSpin] did not report within the stop deadline and was killed",
                "WorkerDied: cg_0 worker 3 (pid 103) [CpuSpin] could not start (errno 2)"), m);
        assertTrue(WorkerChecks.workerDied(sample("cg_0", w(0).build())).isEmpty());
        assertTrue(WorkerChecks.starved(s).isEmpty(), "dead workers are not also reported as starved");
    }

    @Test
    void aCustomProgramThatExitsCleanlyDidNotDie() {
        GroupSample g = new GroupSample(1, "Custom", true, null,
                List.of(w(0).exit(WorkerReport.ExitKind.EXITED, 0, 0).build()));
        assertTrue(WorkerChecks.workerDied(new CgroupSample("cg_0", "step 0", List.of(g))).isEmpty());
    }

    // ---- the suite ------------------------------------------------------------------------------

    @Test
    void theSuiteRunsOnlyEnabledChecksAndDefaultsCatchStarvationSpreadAndGaps() {
        CgroupSample bad = sample(CpuSet.parse("0"), w(0).work(0, 0).cpus("1").build(),
                w(1).time(500_000_000L, 1_000_000_000L).gap(3_000_000_000L, 0, 0).cpus("1").build());
        List<String> kinds = CheckSuite.run(bad, Thresholds.defaults(), TWO_NODES).stream().map(Failure::kind).toList();
        assertEquals(List.of("Starved", "Unfair", "Stuck"), kinds, "isolation is off by default");
        List<String> withIsolation = CheckSuite.run(bad, Thresholds.defaults().merge(Thresholds.builder()
                .isolation(true).notStarved(false).build()), TWO_NODES).stream().map(Failure::kind).toList();
        assertEquals(List.of("Unfair", "Stuck", "Isolation", "Isolation"), withIsolation, "both ran on CPU 1");
        assertTrue(CheckSuite.run(bad, Thresholds.NONE, TWO_NODES).isEmpty(), "nothing enabled, nothing checked");
    }
}
