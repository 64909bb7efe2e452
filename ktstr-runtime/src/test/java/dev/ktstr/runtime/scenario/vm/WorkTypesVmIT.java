package dev.ktstr.runtime.scenario.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.runtime.agent.WorkerGroupSpec;
import dev.ktstr.runtime.measure.WorkerReport;
import dev.ktstr.runtime.scenario.SchedPolicy;
import dev.ktstr.runtime.scenario.Work;
import dev.ktstr.runtime.scenario.WorkType;
import dev.ktstr.runtime.scenario.WorkType.Phase;
import dev.ktstr.topology.CpuSet;
import dev.ktstr.topology.Topology;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Each of the 20 work types (ktstr facts §7.2) in a real guest, through
 * {@code GuestAgent.spawnWorkers/startWorkers/stopWorkers}: every test runs a group for about a
 * second and finds the type's signature in the reports' numbers. One 2-CPU guest serves them all
 * (the agent mostly sleeps on CPU 0; workers that need a quiet or shared CPU are pinned to CPU 1).
 * The guest is emulated and the host shared, so the assertions are ratios and invariants between
 * fields, never absolute rates.
 */
@Tag("vm")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkTypesVmIT {

    private static final Duration HOLD = Duration.ofMillis(1000);
    private static final int SIGUSR1 = 10;

    private VmGuest guest;

    @BeforeAll
    void boot() throws Exception {
        guest = VmGuest.boot(new Topology(1, 1, 2, 1), List.of());
    }

    @AfterAll
    void shutdown() {
        if (guest != null) {
            guest.close();
        }
    }

    private static double cpuPerIteration(WorkerReport r) {
        return (double) r.cpuTimeNs() / Math.max(1, r.iterations());
    }

    private static long switches(WorkerReport r) {
        return r.voluntarySwitches() + r.involuntarySwitches();
    }

    /** One sample per iteration, but the last when the stop cut its blocking call short (or the partner left). */
    private static boolean aboutOnePerIteration(WorkerReport r, long slack) {
        long n = r.wakeLatency().count();
        return n <= r.iterations() && n + slack >= r.iterations();
    }

    /** Every worker reported normally, ran, and was measured the way every framework report is. */
    private static void allReported(List<WorkerReport> rs, int expected) {
        assertEquals(expected, rs.size(), VmGuest.describe(rs));
        for (WorkerReport r : rs) {
            assertEquals(WorkerReport.ExitKind.OK, r.exitKind(), VmGuest.describe(rs));
            assertTrue(r.iterations() > 0 && r.workUnits() > 0 && !r.completed(), VmGuest.describe(rs));
            assertTrue(r.wallTimeNs() >= HOLD.toNanos(), "the hold lies inside the loop" + VmGuest.describe(rs));
            assertTrue(!r.cpusUsed().isEmpty() && r.schedstatCpuTimeNs() > 0, VmGuest.describe(rs));
        }
    }

    @Test
    void cpuSpinSpinsWithoutBlocking() throws Exception {
        List<WorkerReport> rs = guest.run(HOLD, guest.spec(WorkType.CPU_SPIN, 1)).group(0);
        allReported(rs, 1);
        WorkerReport r = rs.get(0);
        assertEquals(1024 * r.iterations(), r.workUnits(), VmGuest.describe(rs));
        assertEquals(0, r.wakeLatency().count(), "nothing blocks, nothing is sampled" + VmGuest.describe(rs));
        assertTrue(r.voluntarySwitches() <= 5, "a spinner never sleeps" + VmGuest.describe(rs));
        assertTrue(r.cpuTimeNs() > r.wallTimeNs() / 2, "a spinner on a free CPU is on it" + VmGuest.describe(rs));
    }

    /**
     * A lone yielder on an idle CPU has nobody to yield to: it does not switch. Two on one CPU hand
     * it to each other on every yield, each iteration a syscall and a switch: a small fraction of
     * the CPU of a 1024-step spin burst.
     */
    @Test
    void yieldHeavyYieldsWhenItHasCompany() throws Exception {
        Work yh = Work.of(WorkType.YIELD_HEAVY);
        List<WorkerReport> alone = guest.run(HOLD, guest.spec(yh, 1, VmGuest.pinned(1, 1))).group(0);
        allReported(alone, 1);
        assertTrue(switches(alone.get(0)) * 100 < alone.get(0).iterations(),
                "a lone yielder keeps its CPU" + VmGuest.describe(alone));

        VmGuest.Run run = guest.run(HOLD, guest.spec(yh, 2, VmGuest.pinned(2, 1)),
                guest.spec(Work.of(WorkType.CPU_SPIN), 1, VmGuest.pinned(1, 0)));
        List<WorkerReport> pair = run.group(0);
        WorkerReport spin = run.group(1).get(0);
        allReported(pair, 2);
        for (WorkerReport r : pair) {
            assertEquals(r.iterations(), r.workUnits(), VmGuest.describe(pair));
            assertEquals(0, r.wakeLatency().count(), VmGuest.describe(pair));
            assertTrue(switches(r) * 2 >= r.iterations(), "with company every yield switches" + VmGuest.describe(pair));
            assertTrue(cpuPerIteration(r) * 4 < cpuPerIteration(spin), "CPU per yield vs per spin burst"
                    + VmGuest.describe(pair) + VmGuest.describe(List.of(spin)));
            assertEquals("1", r.cpusUsed(), VmGuest.describe(pair));
        }
    }

    @Test
    void mixedSpinsThenYields() throws Exception {
        List<WorkerReport> rs = guest.run(HOLD, guest.spec(Work.of(WorkType.MIXED), 2, VmGuest.pinned(2, 1))).group(0);
        allReported(rs, 2);
        for (WorkerReport r : rs) {
            assertEquals(1024 * r.iterations(), r.workUnits(), VmGuest.describe(rs));
            assertTrue(switches(r) * 2 >= r.iterations(), "two on one CPU switch at each yield" + VmGuest.describe(rs));
        }
    }

    @Test
    void ioSyncWritesThenSleeps() throws Exception {
        List<WorkerReport> rs = guest.run(HOLD, guest.spec(WorkType.IO_SYNC, 1)).group(0);
        allReported(rs, 1);
        WorkerReport r = rs.get(0);
        assertEquals(16 * r.iterations(), r.workUnits(), "16 writes of 4 KiB per iteration" + VmGuest.describe(rs));
        assertTrue(aboutOnePerIteration(r, 1), "one sleep sample per iteration" + VmGuest.describe(rs));
        assertTrue(r.wakeLatency().minNs() >= 100_000, "a 100 us sleep lasts 100 us" + VmGuest.describe(rs));
        assertTrue(r.voluntarySwitches() * 2 >= r.iterations(), "sleeps are voluntary switches" + VmGuest.describe(rs));
    }

    @Test
    void burstySleepsBetweenBursts() throws Exception {
        List<WorkerReport> rs = guest.run(HOLD, guest.spec(WorkType.Bursty.ms(20, 30), 1)).group(0);
        allReported(rs, 1);
        WorkerReport r = rs.get(0);
        assertTrue(r.iterations() >= 5 && aboutOnePerIteration(r, 1), "a sleep per burst" + VmGuest.describe(rs));
        assertTrue(r.wakeLatency().minNs() >= 30_000_000, "sleeps of 30 ms" + VmGuest.describe(rs));
        assertTrue(r.offCpuNs() * 10 >= r.wallTimeNs() * 4, "off CPU 30 of every 50 ms" + VmGuest.describe(rs));
        assertEquals(0, r.workUnits() % 1024, VmGuest.describe(rs));
    }

    /** Partners of a pipe pair exchange a byte per iteration; every exchange that got a byte is a resume latency. */
    @Test
    void pipeIoPairsRecordResumeLatencies() throws Exception {
        List<WorkerReport> rs = guest.run(HOLD, guest.spec(new WorkType.PipeIo(256), 4)).group(0);
        allReported(rs, 4);
        for (int p = 0; p < 4; p += 2) {
            WorkerReport a = rs.get(p);
            WorkerReport b = rs.get(p + 1);
            // an iteration without the partner's byte ends after a 100 ms poll: a handful at most
            long timeouts = HOLD.toMillis() / 100 + 5;
            assertTrue(Math.abs(a.iterations() - b.iterations()) <= timeouts, "partners keep pace" + VmGuest.describe(rs));
            for (WorkerReport r : List.of(a, b)) {
                assertTrue(r.wakeLatency().count() + timeouts >= r.iterations() && r.wakeLatency().count() > 0,
                        "a resume latency per exchange" + VmGuest.describe(rs));
                assertTrue(r.workUnits() >= 256 * r.iterations() && r.workUnits() <= 256 * (r.iterations() + 1),
                        VmGuest.describe(rs));
            }
        }
    }

    @Test
    void futexPingPongPairsAlternate() throws Exception {
        List<WorkerReport> rs = guest.run(HOLD, guest.spec(WorkType.FutexPingPong.defaults(), 2)).group(0);
        allReported(rs, 2);
        assertTrue(Math.abs(rs.get(0).iterations() - rs.get(1).iterations()) <= 1,
                "strict alternation: counts differ by the exchange in flight" + VmGuest.describe(rs));
        for (WorkerReport r : rs) {
            assertTrue(aboutOnePerIteration(r, 1), "a wait per turn" + VmGuest.describe(rs));
            assertTrue(r.voluntarySwitches() > 0, "waits sleep on the futex" + VmGuest.describe(rs));
        }
    }

    @Test
    void futexFanOutMessengerWakesReceivers() throws Exception {
        List<WorkerReport> rs = guest.run(HOLD, guest.spec(new WorkType.FutexFanOut(2, 512), 3)).group(0);
        allReported(rs, 3);
        WorkerReport m = rs.get(0);
        assertTrue(m.messenger() && !rs.get(1).messenger() && !rs.get(2).messenger(), VmGuest.describe(rs));
        assertEquals(0, m.wakeLatency().count(), "the messenger never waits" + VmGuest.describe(rs));
        assertEquals((512 + 256) * m.iterations(), m.workUnits(), "spin, wake, 256 more" + VmGuest.describe(rs));
        for (WorkerReport r : rs.subList(1, 3)) {
            assertTrue(r.wakeLatency().count() > 0 && aboutOnePerIteration(r, 1),
                    "receivers sample each wake" + VmGuest.describe(rs));
            assertTrue(r.iterations() <= m.iterations() + 1, "no more wakes than generations" + VmGuest.describe(rs));
        }
    }

    @Test
    void fanOutComputeReceiversMeasureTheStamp() throws Exception {
        List<WorkerReport> rs = guest.run(HOLD, guest.spec(new WorkType.FanOutCompute(2, 64, 2, 50), 3)).group(0);
        allReported(rs, 3);
        assertTrue(rs.get(0).messenger() && rs.get(0).wakeLatency().count() == 0, VmGuest.describe(rs));
        for (WorkerReport r : rs.subList(1, 3)) {
            assertTrue(aboutOnePerIteration(r, 1), "one wake latency per generation seen" + VmGuest.describe(rs));
            assertTrue(r.workUnits() <= 2 * r.iterations() && r.workUnits() + 2 >= 2 * r.iterations(),
                    "two matrix products per wake" + VmGuest.describe(rs));
        }
    }

    @Test
    void cachePressureAndCacheYield() throws Exception {
        VmGuest.Run run = guest.run(HOLD, guest.spec(new WorkType.CachePressure(64, 64), 1),
                guest.spec(Work.of(WorkType.CacheYield.defaults()), 2, VmGuest.pinned(2, 1)));
        List<WorkerReport> pressure = run.group(0);
        List<WorkerReport> yield = run.group(1);
        allReported(pressure, 1);
        allReported(yield, 2);
        assertEquals(1024 * pressure.get(0).iterations(), pressure.get(0).workUnits(), VmGuest.describe(pressure));
        assertEquals(0, pressure.get(0).wakeLatency().count(), VmGuest.describe(pressure));
        for (WorkerReport r : yield) {
            assertEquals(1024 * r.iterations(), r.workUnits(), VmGuest.describe(yield));
            assertTrue(aboutOnePerIteration(r, 1), "a yield sample per iteration" + VmGuest.describe(yield));
        }
    }

    @Test
    void cachePipePairsExchange() throws Exception {
        List<WorkerReport> rs = guest.run(HOLD, guest.spec(new WorkType.CachePipe(32, 512), 2)).group(0);
        allReported(rs, 2);
        long timeouts = HOLD.toMillis() / 100 + 5;
        assertTrue(Math.abs(rs.get(0).iterations() - rs.get(1).iterations()) <= timeouts, VmGuest.describe(rs));
        for (WorkerReport r : rs) {
            assertTrue(r.wakeLatency().count() > 0, VmGuest.describe(rs));
            assertTrue(r.workUnits() >= 512 * r.iterations() && r.workUnits() <= 512 * (r.iterations() + 1),
                    "burst_iters steps per exchange" + VmGuest.describe(rs));
        }
    }

    /** Spin 30 ms, sleep 20 ms, yield 10 ms, I/O 10 ms, over and over: the sleeps are the longest samples. */
    @Test
    void sequenceRunsItsPhases() throws Exception {
        WorkType.Sequence seq = WorkType.Sequence.of(Phase.spin(Duration.ofMillis(30)),
                Phase.sleep(Duration.ofMillis(20)), Phase.yield(Duration.ofMillis(10)), Phase.io(Duration.ofMillis(10)));
        List<WorkerReport> rs = guest.run(HOLD, guest.spec(seq, 1)).group(0);
        allReported(rs, 1);
        WorkerReport r = rs.get(0);
        assertTrue(r.wakeLatency().maxNs() >= 20_000_000 && r.wakeLatency().minNs() < 20_000_000,
                "20 ms sleeps and short yield / I/O samples" + VmGuest.describe(rs));
        assertTrue(r.voluntarySwitches() >= 10, "a sleep per pass, I/O sleeps" + VmGuest.describe(rs));
        assertTrue(r.offCpuNs() * 10 >= r.wallTimeNs() * 2, "a quarter of each pass sleeps" + VmGuest.describe(rs));
    }

    @Test
    void forkExitCountsItsChildren() throws Exception {
        List<WorkerReport> rs = guest.run(HOLD, guest.spec(WorkType.FORK_EXIT, 1)).group(0);
        allReported(rs, 1);
        WorkerReport r = rs.get(0);
        assertTrue(r.children() > 0 && r.children() == r.iterations() && r.workUnits() == r.children(),
                "one child forked and reaped per iteration" + VmGuest.describe(rs));
        assertTrue(aboutOnePerIteration(r, 1), "a waitpid sample per child" + VmGuest.describe(rs));
    }

    /**
     * NiceSweep and PolicyChurn change their own weight and class: seen from outside (proc's nice and
     * policy fields) while they run, each alone on its CPU. Their reset to nice 0 and SCHED_OTHER at
     * the end of the loop happens just before the process exits and is checked in-process by the
     * agent's C tests.
     */
    @Test
    void niceSweepAndPolicyChurnChangeTheirOwnWeightAndClass() throws Exception {
        Set<String> nices = new TreeSet<>();
        Set<String> policies = new TreeSet<>();
        VmGuest.Run run = guest.run(HOLD, (pids, ids) -> {
            for (int i = 0; i < 20; i++) {
                nices.add(guest.statField(pids.get(0).get(0), 19));
                policies.add(guest.statField(pids.get(1).get(0), 41));
                Thread.sleep(40);
            }
        }, guest.spec(Work.of(WorkType.NICE_SWEEP), 1, VmGuest.pinned(1, 0)),
                guest.spec(Work.of(WorkType.PolicyChurn.defaults()), 1, VmGuest.pinned(1, 1)));
        List<WorkerReport> nice = run.group(0);
        List<WorkerReport> policy = run.group(1);
        allReported(nice, 1);
        allReported(policy, 1);
        assertEquals(512 * nice.get(0).iterations(), nice.get(0).workUnits(), VmGuest.describe(nice));
        assertTrue(aboutOnePerIteration(nice.get(0), 1), "a yield sample per step" + VmGuest.describe(nice));
        assertEquals(1024 * policy.get(0).iterations(), policy.get(0).workUnits(), VmGuest.describe(policy));
        assertTrue(nices.size() >= 3, "nice values seen: " + nices + VmGuest.describe(nice));
        assertTrue(policies.size() >= 3, "policies seen (0 other, 1 fifo, 2 rr, 3 batch, 5 idle): " + policies
                + VmGuest.describe(policy));
    }

    /**
     * A worker in SCHED_IDLE when the stop arrives (PolicyChurn mid-cycle, or an IDLE spec) beside
     * spinners that keep running on its CPU gets a few thousandths of it: the agent lifts stopped
     * workers to SCHED_OTHER, so their reports come back at once instead of after seconds (or a
     * TIMED_OUT at the deadline).
     */
    @Test
    void idleWorkersStopPromptlyBesideHogs() throws Exception {
        WorkerGroupSpec hogs = guest.spec(Work.of(WorkType.CPU_SPIN), 4, VmGuest.pinned(4, 1));
        guest.agent().spawnWorkers(hogs);
        guest.agent().startWorkers(List.of(hogs.groupId()));
        try {
            VmGuest.Run run = guest.run(HOLD, guest.spec(Work.of(WorkType.PolicyChurn.defaults()), 1,
                    VmGuest.pinned(1, 1)), guest.spec(VmGuest.work(WorkType.CPU_SPIN, SchedPolicy.IDLE), 1,
                            VmGuest.pinned(1, 1)));
            allReported(run.all(), 2);
            assertTrue(run.stopNanos() < 2_000_000_000L, "stop took " + run.stopNanos() / 1_000_000 + " ms"
                    + VmGuest.describe(run.all()));
        } finally {
            assertEquals(4, guest.agent().stopWorkers(List.of(hogs.groupId()), Duration.ofSeconds(20)).size());
        }
    }

    @Test
    void affinityChurnMigrates() throws Exception {
        List<WorkerReport> rs = guest.run(HOLD, guest.spec(WorkType.AffinityChurn.defaults(), 1)).group(0);
        allReported(rs, 1);
        WorkerReport r = rs.get(0);
        // a random one of two CPUs per iteration, a checkpoint per iteration: about every other one moves
        assertTrue(r.migrationCount() * 5 >= r.iterations() && r.migrationCount() > 0, VmGuest.describe(rs));
        assertEquals("0-1", r.cpusUsed(), VmGuest.describe(rs));
        assertTrue(!r.migrations().isEmpty() && r.migrations().get(0).fromCpu() != r.migrations().get(0).toCpu(),
                VmGuest.describe(rs));
    }

    /** Each iteration touches 64 random pages of 256 it dropped the round before: minor faults (proc's minflt). */
    @Test
    void pageFaultChurnFaults() throws Exception {
        long[] faults = new long[2];
        long[] iterations = new long[2];
        VmGuest.Run run = guest.run(HOLD, (pids, ids) -> {
            int pid = pids.get(0).get(0);
            iterations[0] = guest.agent().iterations(ids)[0];
            faults[0] = Long.parseLong(guest.statField(pid, 10));
            Thread.sleep(HOLD.toMillis() / 2);
            faults[1] = Long.parseLong(guest.statField(pid, 10));
            iterations[1] = guest.agent().iterations(ids)[0];
        }, guest.spec(new WorkType.PageFaultChurn(1024, 64, 64), 1));
        List<WorkerReport> rs = run.group(0);
        allReported(rs, 1);
        // an iteration cut by a read at either end is at most 64 faults either way
        long it = iterations[1] - iterations[0];
        long f = faults[1] - faults[0];
        assertTrue(it >= 4 && f + 128 >= 32 * it, f + " minor faults in " + it + " iterations" + VmGuest.describe(rs));
        assertEquals(128 * rs.get(0).iterations(), rs.get(0).workUnits(), "touches + spins" + VmGuest.describe(rs));
    }

    @Test
    void mutexContentionEveryContenderProgresses() throws Exception {
        List<WorkerReport> rs = guest.run(HOLD, guest.spec(new WorkType.MutexContention(3, 256, 1024), 3)).group(0);
        allReported(rs, 3);
        long lo = rs.stream().mapToLong(WorkerReport::iterations).min().orElseThrow();
        long hi = rs.stream().mapToLong(WorkerReport::iterations).max().orElseThrow();
        assertTrue(lo > 0 && lo * 20 >= hi, "every contender gets the lock" + VmGuest.describe(rs));
        assertTrue(rs.stream().mapToLong(r -> r.wakeLatency().count()).sum() > 0,
                "three contenders on two CPUs wait for the lock" + VmGuest.describe(rs));
        for (WorkerReport r : rs) {
            assertTrue(r.workUnits() <= 1280 * r.iterations() && r.workUnits() + 256 >= 1280 * r.iterations(),
                    "work + hold per iteration" + VmGuest.describe(rs));
        }
    }

    /** A Custom worker runs its program (it leaves a file behind) and is measured from outside. */
    @Test
    void customRunsAProgram() throws Exception {
        WorkType done = new WorkType.Custom("mark", Path.of("/bin/sh"),
                List.of("-c", "echo ran-$$ > /tmp/ktstr-custom-mark; i=0; while [ $i -lt 2000 ]; do i=$((i+1)); done"));
        WorkType forever = new WorkType.Custom("loop", Path.of("/bin/sh"), List.of("-c", "while :; do :; done"));
        VmGuest.Run run = guest.run(Duration.ofMillis(1500), guest.spec(done, 1), guest.spec(forever, 1));
        WorkerReport d = run.group(0).get(0);
        WorkerReport f = run.group(1).get(0);
        String mark = new String(guest.agent().readFile("/tmp/ktstr-custom-mark", 64), StandardCharsets.UTF_8).strip();
        assertEquals("ran-" + d.pid(), mark, "the program ran as the worker's own process");
        assertTrue(d.exitKind() == WorkerReport.ExitKind.OK && d.completed() && d.exitCode() == 0 && d.cpuTimeNs() > 0,
                "ended by itself with 0" + VmGuest.describe(List.of(d)));
        assertTrue(d.iterations() == 0 && d.wakeLatency().count() == 0, "no framework telemetry");
        assertTrue(f.exitKind() == WorkerReport.ExitKind.OK && !f.completed() && f.termSignal() == SIGUSR1,
                "ended by the stop" + VmGuest.describe(List.of(f)));
        assertTrue(f.cpuTimeNs() > f.wallTimeNs() / 4 && f.cpuTimeNs() <= f.wallTimeNs() + 50_000_000,
                "CPU time of the busy program from /proc" + VmGuest.describe(List.of(f)));
        assertTrue(f.wallTimeNs() >= 1_500_000_000L, VmGuest.describe(List.of(f)));
    }

    @Test
    void affinityIsAppliedBeforeTheLoop() throws Exception {
        List<WorkerReport> rs = guest.run(HOLD,
                guest.spec(Work.of(WorkType.CPU_SPIN), 2, List.of(CpuSet.of(0), CpuSet.of(1)))).group(0);
        allReported(rs, 2);
        assertEquals("0", rs.get(0).cpusUsed(), VmGuest.describe(rs));
        assertEquals("1", rs.get(1).cpusUsed(), VmGuest.describe(rs));
        assertEquals(0, rs.get(0).migrationCount() + rs.get(1).migrationCount(), VmGuest.describe(rs));
    }

    @Test
    void batchAndIdlePoliciesApply() throws Exception {
        VmGuest.Run run = guest.run(HOLD, (pids, ids) -> {
            assertEquals("3", guest.statField(pids.get(0).get(0), 41), "SCHED_BATCH");
            assertEquals("5", guest.statField(pids.get(1).get(0), 41), "SCHED_IDLE");
        }, guest.spec(VmGuest.work(WorkType.CPU_SPIN, SchedPolicy.BATCH), 1, VmGuest.pinned(1, 1)),
                guest.spec(VmGuest.work(WorkType.CPU_SPIN, SchedPolicy.IDLE), 1, VmGuest.pinned(1, 1)));
        WorkerReport batch = run.group(0).get(0);
        WorkerReport idle = run.group(1).get(0);
        assertTrue(batch.exitKind() == WorkerReport.ExitKind.OK && idle.exitKind() == WorkerReport.ExitKind.OK,
                VmGuest.describe(run.all()));
        // weight 1024 against 3: the idle-class spinner gets a sliver of CPU 1
        assertTrue(idle.cpuTimeNs() * 10 < batch.cpuTimeNs(), VmGuest.describe(run.all()));
    }
}
