package dev.ktstr.runtime.scenario.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.runtime.agent.AgentException;
import dev.ktstr.runtime.checks.FailureKind;
import dev.ktstr.runtime.checks.Thresholds;
import dev.ktstr.runtime.result.Outcome;
import dev.ktstr.runtime.scenario.Backdrop;
import dev.ktstr.runtime.scenario.CgroupDef;
import dev.ktstr.runtime.scenario.CpusetSpec;
import dev.ktstr.runtime.scenario.HoldSpec;
import dev.ktstr.runtime.scenario.Op;
import dev.ktstr.runtime.scenario.Scenario;
import dev.ktstr.runtime.scenario.ScenarioEnv;
import dev.ktstr.runtime.scenario.SchedPolicy;
import dev.ktstr.runtime.scenario.Step;
import dev.ktstr.runtime.scenario.Work;
import dev.ktstr.runtime.scenario.WorkType;
import dev.ktstr.runtime.scenario.engine.EngineOptions;
import dev.ktstr.runtime.scenario.engine.ScenarioEngine;
import dev.ktstr.runtime.scenario.engine.ScenarioRun;
import dev.ktstr.topology.Topology;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Each worker check of ktstr facts §8 in a real guest, through the {@link ScenarioEngine}: a scenario
 * that makes the check fail on purpose by changing what the scheduler does to a worker (a FIFO hog
 * with RT throttling and the fair server off, a renice, a SIGSTOP, a cpuset rewritten behind the
 * engine's back, a SCHED_IDLE worker beside a spinner, a worker that pins itself around), and the
 * same scenario without that disturbance, which passes. One 2-CPU guest serves them all; the
 * disturbances happen on CPU 1 and the scheduler settings they need are restored afterwards.
 * Disturbances inside the guest come from payloads (busybox shell), which a step runs to their end
 * ({@link Op#runPayload}, {@link Op#waitPayload}) while the backdrop's workers run.
 */
@Tag("vm")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChecksVmIT {

    private static final String ROOT = "/sys/fs/cgroup/ktstr";
    private static final String RT_RUNTIME = "/proc/sys/kernel/sched_rt_runtime_us";
    private static final String FAIR_SERVER_CPU1 = "/sys/kernel/debug/sched/fair_server/cpu1/runtime";

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

    private ScenarioRun run(Scenario s, Thresholds layer, Duration duration) {
        ScenarioEngine engine = new ScenarioEngine(guest.agent(), EngineOptions.defaults().withChecks(Thresholds.NONE,
                layer).withStopDeadline(Duration.ofSeconds(20)));
        return engine.run(s, ScenarioEnv.of(guest.topology, duration, 2, null));
    }

    private static void failsWith(ScenarioRun r, FailureKind kind) {
        assertEquals(Outcome.Status.FAILED, r.status(), r.report());
        assertTrue(r.failures().stream().anyMatch(f -> f.kind().equals(kind.id())), kind.id() + " expected:\n"
                + r.report());
    }

    private static void passes(ScenarioRun r) {
        assertEquals(Outcome.Status.PASSED, r.status(), r.report());
    }

    /**
     * Backdrop workers; after a fifth of the run a step runs {@code script} as a payload to its end
     * (the backdrop's workers run on meanwhile), then holds the rest of the run.
     */
    private static Scenario disturbed(String name, Backdrop backdrop, String script) {
        return Scenario.of(name, name, Step.hold(HoldSpec.frac(0.2)),
                Step.of(HoldSpec.frac(0.8), Op.runPayload("disturb", "", "/bin/sh", "-c", script),
                        Op.waitPayload("disturb", Duration.ofSeconds(30)))).withBackdrop(backdrop);
    }

    /** The first worker pid of a cgroup, in shell. */
    private static String firstPid(String cgroup) {
        return "$(head -n1 " + ROOT + "/" + cgroup + "/cgroup.procs)";
    }

    private String read(String path) throws AgentException {
        return new String(guest.agent().readFile(path, 64), StandardCharsets.UTF_8).strip();
    }

    private void write(String path, String value) throws AgentException {
        guest.agent().writeFile(path, value.getBytes(StandardCharsets.UTF_8), false);
    }

    /** Runs {@code body} with RT throttling and CPU 1's fair server off: a FIFO task there owns the CPU. */
    private <T> T withoutRtBandwidth(ThrowingSupplier<T> body) throws Exception {
        String rt = read(RT_RUNTIME);
        String fair = read(FAIR_SERVER_CPU1);
        write(RT_RUNTIME, "-1");
        write(FAIR_SERVER_CPU1, "0");
        try {
            return body.get();
        } finally {
            write(FAIR_SERVER_CPU1, fair);
            write(RT_RUNTIME, rt);
        }
    }

    @FunctionalInterface
    private interface ThrowingSupplier<T> {
        T get() throws Exception;
    }

    // ---- Starved ---------------------------------------------------------------------------------

    /** A SCHED_IDLE worker beside a FIFO hog on CPU 1. */
    private static Scenario idleBesideFifo() {
        return Scenario.of("idle_beside_fifo", "idle worker beside a FIFO hog", Step.withDefs(HoldSpec.FULL,
                CgroupDef.named("hog").withCpuset(CpusetSpec.exact(1)).workers(1).schedPolicy(SchedPolicy.fifo(50)),
                CgroupDef.named("idle").withCpuset(CpusetSpec.exact(1)).workers(1).schedPolicy(SchedPolicy.IDLE)));
    }

    /** With RT throttling and the fair server off the FIFO hog leaves the idle worker nothing. */
    @Test
    void starvedFailsWhenAFifoHogOwnsTheCpu() throws Exception {
        ScenarioRun r = withoutRtBandwidth(() -> run(idleBesideFifo(), Thresholds.NONE, Duration.ofSeconds(2)));
        failsWith(r, FailureKind.STARVED);
        assertTrue(r.failures().stream().anyMatch(f -> f.message().startsWith("Starved: idle ")), r.report());
    }

    /** The kernel's defaults keep a share of the CPU for fair tasks: the same worker progresses. */
    @Test
    void starvedPassesWithTheDefaultRtBandwidth() {
        passes(run(idleBesideFifo(), Thresholds.builder().maxSpreadPct(100).build(), Duration.ofSeconds(2)));
    }

    // ---- Unfair ----------------------------------------------------------------------------------

    private static Backdrop pairOnCpu1() {
        return Backdrop.EMPTY.withCgroup(CgroupDef.named("pair").withCpuset(CpusetSpec.exact(1)).workers(2));
    }

    /** Two spinners share CPU 1; one is reniced to 19 for most of the run: its off-CPU share soars. */
    @Test
    void unfairFailsWhenOneOfTwoIsReniced() {
        ScenarioRun r = run(disturbed("renice", pairOnCpu1(), "renice -n 19 -p " + firstPid("pair")), Thresholds.NONE,
                Duration.ofSeconds(2));
        failsWith(r, FailureKind.UNFAIR);
    }

    @Test
    void unfairPassesWhenTheyShareEqually() {
        passes(run(disturbed("equal", pairOnCpu1(), "true"), Thresholds.NONE, Duration.ofSeconds(2)));
    }

    // ---- Stuck -----------------------------------------------------------------------------------

    private static Backdrop twoSpinners() {
        return Backdrop.EMPTY.withCgroup(CgroupDef.named("spin").workers(2));
    }

    /** A worker SIGSTOPped for 2 s mid-run has a 2 s gap between checkpoints (limit 1 s). */
    @Test
    void stuckFailsWhenAWorkerIsStoppedMidRun() {
        ScenarioRun r = run(disturbed("stopped", twoSpinners(), "p=" + firstPid("spin")
                + "; kill -STOP $p; sleep 2; kill -CONT $p"), Thresholds.builder().maxGapMs(1000).maxSpreadPct(100)
                .build(), Duration.ofSeconds(2));
        failsWith(r, FailureKind.STUCK);
        assertTrue(r.failures().stream().anyMatch(f -> f.message().matches("Stuck: spin worker \\d+ .* stuck \\d+ ms.*")),
                r.report());
    }

    @Test
    void stuckPassesWhenNothingStopsIt() {
        passes(run(disturbed("running", twoSpinners(), "sleep 2"), Thresholds.builder().maxGapMs(1000).build(),
                Duration.ofSeconds(2)));
    }

    // ---- Isolation -------------------------------------------------------------------------------

    private static Backdrop isolatedOnCpu1() {
        return Backdrop.EMPTY.withCgroup(CgroupDef.named("iso").withCpuset(CpusetSpec.exact(1)).workers(1));
    }

    /** The cgroup's cpuset rewritten to CPU 0 behind the engine's back: the worker runs outside what it was allowed. */
    @Test
    void isolationFailsWhenTheWorkerRunsOutsideItsCpuset() {
        ScenarioRun r = run(disturbed("escape", isolatedOnCpu1(), "echo 0 > " + ROOT + "/iso/cpuset.cpus"),
                Thresholds.builder().isolation(true).build(), Duration.ofSeconds(2));
        failsWith(r, FailureKind.ISOLATION);
        assertTrue(r.failures().stream().anyMatch(f -> f.message().contains("ran on CPUs 0 outside its allowed CPUs 1")),
                r.report());
    }

    /** The same move made by the scenario (SetCpuset): the engine widens what the worker may use. */
    @Test
    void isolationPassesWhenTheScenarioMovesTheCpuset() {
        Scenario s = Scenario.of("moved", "cpuset moved by the scenario", Step.hold(HoldSpec.frac(0.3)),
                Step.of(HoldSpec.frac(0.7), Op.setCpuset("iso", CpusetSpec.exact(0)))).withBackdrop(isolatedOnCpu1());
        ScenarioRun r = run(s, Thresholds.builder().isolation(true).build(), Duration.ofSeconds(2));
        passes(r);
        assertEquals("0-1", r.samples().get(0).workers().get(0).report().cpusUsed(), "it did move: " + r.report());
    }

    // ---- wake latency ----------------------------------------------------------------------------

    private static final long P99_LIMIT_NS = 60_000_000L;

    /** Bursty workers sleep 20 ms per cycle: their samples are 20 ms plus the wake-up latency. */
    private static CgroupDef sleeper() {
        return CgroupDef.named("sleeper").withCpuset(CpusetSpec.exact(1)).workers(1)
                .workType(WorkType.Bursty.ms(5, 20));
    }

    /**
     * A FIFO worker that spins 100 ms out of every 200 on the same CPU, with RT throttling and the
     * fair server off: a sleeper whose sleep ends inside a burst waits for the burst to end.
     */
    @Test
    void wakeLatencyFailsBehindAnRtBurst() throws Exception {
        Scenario s = Scenario.of("rt_burst", "sleeper behind an RT burst", Step.withDefs(HoldSpec.FULL, sleeper(),
                CgroupDef.named("rt").withCpuset(CpusetSpec.exact(1)).workers(1).schedPolicy(SchedPolicy.fifo(10))
                        .workType(WorkType.Bursty.ms(100, 100))));
        ScenarioRun r = withoutRtBandwidth(() -> run(s, Thresholds.builder().maxP99WakeLatencyNs(P99_LIMIT_NS).build(),
                Duration.ofSeconds(3)));
        failsWith(r, FailureKind.WAKE_LATENCY);
        assertTrue(r.failures().stream().anyMatch(f -> f.message().startsWith("WakeLatency: sleeper ")), r.report());
    }

    @Test
    void wakeLatencyPassesOnAFreeCpu() {
        Scenario s = Scenario.of("free", "sleeper alone", Step.withDefs(HoldSpec.FULL, sleeper()));
        passes(run(s, Thresholds.builder().maxP99WakeLatencyNs(P99_LIMIT_NS).build(), Duration.ofSeconds(3)));
    }

    // ---- iteration rate --------------------------------------------------------------------------

    private static final double MIN_RATE = 100;

    /**
     * A SCHED_IDLE spinner beside a normal one in the same cgroup (in different cgroups each group
     * would get half of the CPU, whatever its tasks' policies) gets a few thousandths of the CPU: a
     * handful of iterations a second.
     */
    @Test
    void iterationRateFailsForAnIdleClassWorkerBesideASpinner() {
        Scenario s = Scenario.of("idle_rate", "idle spinner beside a spinner", Step.withDefs(HoldSpec.FULL,
                CgroupDef.named("mix").withCpuset(CpusetSpec.exact(1))
                        .work(Work.defaults().workers(1).withPolicy(SchedPolicy.IDLE)).work(Work.defaults().workers(1))));
        ScenarioRun r = run(s, Thresholds.builder().minIterationRate(MIN_RATE).notStarved(false).build(),
                Duration.ofSeconds(2));
        failsWith(r, FailureKind.ITERATION_RATE);
        assertEquals(1, r.failures().size(), r.report());
        assertTrue(r.failures().get(0).message().startsWith("IterationRate: mix worker 0 "), r.report());
    }

    @Test
    void iterationRatePassesForTheSameWorkerAlone() {
        Scenario s = Scenario.of("alone_rate", "spinner alone", Step.withDefs(HoldSpec.FULL,
                CgroupDef.named("slow").withCpuset(CpusetSpec.exact(1)).workers(1)));
        passes(run(s, Thresholds.builder().minIterationRate(MIN_RATE).build(), Duration.ofSeconds(2)));
    }

    // ---- migration ratio -------------------------------------------------------------------------

    private static final double MAX_MIGRATION_RATIO = 0.05;

    /** AffinityChurn pins itself to a random CPU of its mask every iteration: about every other one migrates. */
    @Test
    void migrationRatioFailsForAWorkerThatPinsItselfAround() {
        Scenario s = Scenario.of("churn", "affinity churn over both CPUs", Step.withDefs(HoldSpec.FULL,
                CgroupDef.named("churn").workers(1).workType(WorkType.AffinityChurn.defaults())));
        failsWith(run(s, Thresholds.builder().maxMigrationRatio(MAX_MIGRATION_RATIO).build(), Duration.ofSeconds(2)),
                FailureKind.MIGRATION_RATIO);
    }

    /** The same worker confined to one CPU has nowhere to go. */
    @Test
    void migrationRatioPassesWhenTheCpusetLeavesOneCpu() {
        Scenario s = Scenario.of("churn_one", "affinity churn on one CPU", Step.withDefs(HoldSpec.FULL,
                CgroupDef.named("churn").withCpuset(CpusetSpec.exact(1)).workers(1)
                        .workType(WorkType.AffinityChurn.defaults())));
        passes(run(s, Thresholds.builder().maxMigrationRatio(MAX_MIGRATION_RATIO).build(), Duration.ofSeconds(2)));
    }

    // ---- harness --------------------------------------------------------------------------------

    /** The CPU 1 settings the RT tests change are back to what they were afterwards. */
    @Test
    void rtBandwidthIsRestored() throws Exception {
        String rt = read(RT_RUNTIME);
        String fair = read(FAIR_SERVER_CPU1);
        withoutRtBandwidth(() -> {
            assertEquals("-1", read(RT_RUNTIME));
            assertEquals("0", read(FAIR_SERVER_CPU1));
            return null;
        });
        assertEquals(rt, read(RT_RUNTIME));
        assertEquals(fair, read(FAIR_SERVER_CPU1));
        assertTrue(Long.parseLong(fair) > 0, fair);
    }
}
