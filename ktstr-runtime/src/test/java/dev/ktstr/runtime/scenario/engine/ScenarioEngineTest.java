package dev.ktstr.runtime.scenario.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.runtime.agent.AgentException;
import dev.ktstr.runtime.agent.ProcessExit;
import dev.ktstr.runtime.checks.Thresholds;
import dev.ktstr.runtime.measure.WorkerReport;
import dev.ktstr.runtime.result.Outcome;
import dev.ktstr.runtime.result.StimulusEvent;
import dev.ktstr.runtime.scenario.AffinityKind;
import dev.ktstr.runtime.scenario.Backdrop;
import dev.ktstr.runtime.scenario.CgroupDef;
import dev.ktstr.runtime.scenario.CpusetSpec;
import dev.ktstr.runtime.scenario.HoldSpec;
import dev.ktstr.runtime.scenario.Op;
import dev.ktstr.runtime.scenario.Requirement;
import dev.ktstr.runtime.scenario.Scenario;
import dev.ktstr.runtime.scenario.ScenarioEnv;
import dev.ktstr.runtime.scenario.Step;
import dev.ktstr.runtime.scenario.Work;
import dev.ktstr.runtime.scenario.WorkType;
import dev.ktstr.runtime.scenario.WorkTypeOverride;
import dev.ktstr.runtime.testing.FakeAgent;
import dev.ktstr.runtime.testing.ReportBuilder;
import dev.ktstr.runtime.testing.VirtualClock;
import dev.ktstr.topology.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioEngineTest {

    private static final Topology TOPO = Topology.of(2, 2, 1); // 4 CPUs, usable 0-2
    private static final ScenarioEnv ENV = ScenarioEnv.of(TOPO, Duration.ofSeconds(2), 2);

    private final FakeAgent agent = new FakeAgent();
    private final VirtualClock clock = new VirtualClock();

    private boolean noLeftovers() {
        return agent.cgroups.isEmpty() && agent.running.isEmpty() && agent.payloads.isEmpty();
    }

    private ScenarioRun run(Scenario s) {
        return run(s, EngineOptions.defaults());
    }

    private ScenarioRun run(Scenario s, EngineOptions o) {
        return new ScenarioEngine(agent, o.withClock(clock)).run(s, ENV);
    }

    @Test
    void oneStepSetsUpStartsTogetherHoldsCollectsAndRemoves() {
        ScenarioRun r = run(Scenario.of("two", "two cgroups",
                Step.withDefs(HoldSpec.FULL, CgroupDef.named("cg_0").withCpuset(CpusetSpec.disjoint(0, 2)),
                        CgroupDef.named("cg_1").workers(3))));

        assertEquals(Outcome.Status.PASSED, r.status(), r.report());
        List<String> lifecycle = agent.calls.stream().filter(c -> !c.startsWith("iterations")).toList();
        assertEquals(List.of("createCgroup cg_0", "setCpuset cg_0 0 mems=0",
                "spawnWorkers g1 'cg_0' type=1 count=2 policy=0 affinity=[]", "createCgroup cg_1",
                "spawnWorkers g2 'cg_1' type=1 count=3 policy=0 affinity=[]", "startWorkers [1, 2]",
                "stopWorkers [1, 2]", "removeCgroup cg_1", "removeCgroup cg_0"), lifecycle);
        assertEquals(List.of(Duration.ofSeconds(2)), clock.sleeps());
        assertEquals(2, r.samples().size());
        assertEquals("step 0", r.samples().get(0).phase());
        assertEquals(List.of("cg_0", "cg_1"), r.cgroups().stream().map(c -> c.name()).toList());
        assertEquals(5, r.cgroups().stream().mapToInt(c -> c.workers()).sum());
        assertEquals(5_000.0, r.metrics().get("total_iterations"));
        assertEquals(List.of(new StepSpan(0, 0, 2000)), r.steps());
        assertTrue(noLeftovers(), "nothing left behind");
    }

    @Test
    void backdropPersistsAcrossStepsAndStepLocalStateIsTornDownAtEachBoundary() {
        Scenario s = Scenario.of("add", "add mid-run", Step.hold(HoldSpec.frac(0.5)),
                Step.withDefs(HoldSpec.frac(0.5), CgroupDef.named("cg_2")))
                .withBackdrop(Backdrop.EMPTY.withCgroups(CgroupDef.named("cg_0"), CgroupDef.named("cg_1")));
        ScenarioRun r = run(s);

        assertEquals(Outcome.Status.PASSED, r.status(), r.report());
        List<String> lifecycle = agent.calls.stream()
                .filter(c -> c.startsWith("createCgroup") || c.startsWith("removeCgroup") || c.startsWith("stop"))
                .toList();
        assertEquals(List.of("createCgroup cg_0", "createCgroup cg_1", "createCgroup cg_2", "stopWorkers [3]",
                "removeCgroup cg_2", "stopWorkers [1, 2]", "removeCgroup cg_1", "removeCgroup cg_0"), lifecycle);
        assertEquals(List.of("step 1", "backdrop", "backdrop"), r.samples().stream().map(x -> x.phase()).toList());
        assertEquals(List.of(new StepSpan(0, 0, 1000), new StepSpan(1, 1000, 2000)), r.steps());
    }

    @Test
    void opsRunBeforeSetupAndLoopHoldsRepeatOpsEveryInterval() {
        Scenario s = Scenario.of("flip", "swap every 500 ms",
                Step.withDefs(List.of(CgroupDef.named("cg_0").withCpuset(CpusetSpec.exact(0)),
                        CgroupDef.named("cg_1").withCpuset(CpusetSpec.exact(1))), HoldSpec.loop(Duration.ofMillis(500)))
                        .setOps(Op.swapCpusets("cg_0", "cg_1")));
        ScenarioRun r = run(s);

        assertEquals(Outcome.Status.PASSED, r.status(), r.report());
        // setup first (cpusets 0 and 1), then the swap at t=0 and every 500 ms until 2 s: 5 swaps.
        long swaps = r.timeline().stream().filter(e -> e.kind().equals("SwapCpusets")).count();
        assertEquals(5, swaps);
        int firstSetup = agent.calls.indexOf("setCpuset cg_0 0 mems=0");
        int firstSwap = agent.calls.indexOf("setCpuset cg_0 1 mems=0");
        assertTrue(firstSetup >= 0 && firstSwap > firstSetup, agent.calls.toString());
        assertEquals("0", agent.cpusets.get("cg_1"), "after an odd number of swaps cg_1 holds cg_0's original cpuset");
        assertEquals(2000, r.steps().get(0).endMs());
    }

    @Test
    void opsOfANormalStepPrecedeItsSetup() {
        Scenario s = Scenario.of("nested", "parent by op, child by def",
                Step.withDefs(HoldSpec.FULL, CgroupDef.named("cg_0/sub")).setOps(Op.addCgroup("cg_0")));
        ScenarioRun r = run(s);
        assertEquals(Outcome.Status.PASSED, r.status(), r.report());
        assertTrue(agent.calls.indexOf("createCgroup cg_0") < agent.calls.indexOf("createCgroup cg_0/sub"));
        assertTrue(agent.calls.indexOf("removeCgroup cg_0/sub") < agent.calls.indexOf("removeCgroup cg_0"),
                "children are removed before their parents");
    }

    @Test
    void schedulerWatchIsAskedFromTheSecondStepAndADeathEndsTheScenarioWithCleanup() {
        AtomicInteger asked = new AtomicInteger();
        SchedulerWatch watch = () -> asked.incrementAndGet() >= 1
                ? Optional.of(new Outcome.Failure("SchedulerExited", "SchedulerExited: scx_x exited with code 1"))
                : Optional.empty();
        Scenario s = Scenario.of("three", "three steps", Step.hold(HoldSpec.frac(0.3)),
                Step.withDefs(HoldSpec.frac(0.3), CgroupDef.named("cg_1")), Step.hold(HoldSpec.frac(0.3)))
                .withBackdrop(Backdrop.EMPTY.withCgroup(CgroupDef.named("cg_0")));
        ScenarioRun r = run(s, EngineOptions.defaults().withWatch(watch));

        assertEquals(1, asked.get(), "asked once, before step 1");
        assertEquals(Outcome.Status.FAILED, r.status());
        assertEquals("SchedulerExited", r.failures().get(0).kind());
        assertEquals(1, r.steps().size(), "steps after the death did not run");
        assertTrue(agent.calls.contains("removeCgroup cg_0"), "backdrop cleaned up");
        assertFalse(agent.calls.contains("createCgroup cg_1"));
        assertTrue(noLeftovers());
    }

    @Test
    void anAgentErrorEndsTheScenarioAsAnErrorAndEverythingCreatedIsRemoved() {
        agent.failOn("setCpuset cg_1", new AgentException(AgentException.Kind.REMOTE_ERROR, 22, "EINVAL", null));
        Scenario s = Scenario.of("bad", "cpuset write fails",
                Step.hold(HoldSpec.frac(0.5)),
                Step.of(HoldSpec.frac(0.5), Op.setCpuset("cg_1", CpusetSpec.disjoint(1, 2))))
                .withBackdrop(Backdrop.EMPTY.withCgroups(CgroupDef.named("cg_0"), CgroupDef.named("cg_1")));
        ScenarioRun r = run(s);

        assertEquals(Outcome.Status.ERROR, r.status());
        Outcome.Failure f = r.failures().get(0);
        assertEquals("AgentFailed", f.kind());
        assertTrue(f.message().contains("step 1 op 0 (SetCpuset cg_1 cpuset=disjoint(1/2))"), f.message());
        assertTrue(f.message().contains("EINVAL"), f.message());
        assertTrue(noLeftovers(), agent.calls.toString());
        assertEquals(2, r.samples().size(), "the backdrop's workers were still collected");
    }

    @Test
    void aDeadAgentIsNotAskedToCleanUp() {
        agent.failOn("startWorkers", new AgentException(AgentException.Kind.AGENT_DIED, "channel closed"));
        ScenarioRun r = run(Scenario.of("dies", "agent dies", Step.withDefs(HoldSpec.FULL, CgroupDef.named("cg_0"))));

        assertEquals(Outcome.Status.ERROR, r.status());
        assertEquals(1, r.failures().size(), r.failures().toString());
        assertTrue(r.failures().get(0).message().contains("channel closed"));
        String last = agent.calls.get(agent.calls.size() - 1);
        assertTrue(last.startsWith("startWorkers"), "no call after the agent died: " + agent.calls);
    }

    @Test
    void aWorkerThatDiesOrDoesNotReportIsANamedFailure() {
        agent.reports = (spec, i) -> switch (i) {
            case 0 -> ReportBuilder.worker(0).group(spec.groupId()).build();
            case 1 -> ReportBuilder.worker(1).group(spec.groupId()).pid(214)
                    .exit(WorkerReport.ExitKind.SIGNALED, 0, 9).build();
            default -> null; // the agent lost it
        };
        ScenarioRun r = run(Scenario.of("die", "one dies",
                Step.withDefs(HoldSpec.FULL, CgroupDef.named("cg_0").workers(3))));

        assertEquals(Outcome.Status.FAILED, r.status());
        List<String> messages = r.failures().stream().map(Outcome.Failure::message).toList();
        assertEquals(List.of("WorkerDied: cg_0 worker 1 (pid 214) [CpuSpin] was killed by signal 9 before reporting",
                "WorkerDied: cg_0 worker 2 (pid 1002) [CpuSpin] could not be collected (no report)"), messages);
    }

    @Test
    void anInvalidScenarioNeverReachesTheAgent() {
        ScenarioRun r = run(Scenario.of("typo", "unknown cgroup",
                Step.withDefs(HoldSpec.FULL, CgroupDef.named("cg_0")).setOps(Op.setCpuset("cg_O", CpusetSpec.llc(0)))));
        assertEquals(Outcome.Status.ERROR, r.status());
        assertEquals("InvalidScenario", r.failures().get(0).kind());
        assertTrue(r.failures().get(0).message().contains("unknown cgroup 'cg_O' (no cgroups exist at this point)"),
                "ops precede setup, so nothing exists yet: " + r.failures().get(0).message());
        assertTrue(agent.calls.isEmpty(), agent.calls.toString());
    }

    @Test
    void anUnmetRequirementSkipsWithoutTouchingTheAgent() {
        ScenarioRun r = run(Scenario.of("numa", "needs two nodes", Step.hold(HoldSpec.FULL))
                .requiring(Requirement.minNumaNodes(2)));
        assertEquals(Outcome.Status.SKIPPED, r.status());
        assertTrue(r.skipReason().startsWith("need >= 2 NUMA nodes"), r.skipReason());
        assertTrue(agent.calls.isEmpty());
    }

    @Test
    void theWorkTypeOverrideReplacesCpuSpinOrSwappableGroupsWhenTheGroupSizeDivides() {
        Scenario s = Scenario.of("ovr", "override",
                Step.withDefs(HoldSpec.FULL, CgroupDef.named("spin").workers(4),
                        CgroupDef.named("yield").workType(WorkType.YIELD_HEAVY).workers(4),
                        CgroupDef.named("swap").workType(WorkType.YIELD_HEAVY).workers(4).swappable(true),
                        CgroupDef.named("odd").workers(3)));
        ScenarioEnv env = ScenarioEnv.of(TOPO, Duration.ofSeconds(2), 2,
                new WorkTypeOverride(new WorkType.PipeIo(1024), WorkTypeOverride.Scope.SWAPPABLE_AND_CPU_SPIN));
        ScenarioRun r = new ScenarioEngine(agent, EngineOptions.defaults().withClock(clock)).run(s, env);

        assertEquals(Outcome.Status.PASSED, r.status(), r.report());
        assertEquals(List.of(6, 2, 6, 1), agent.specs.values().stream().map(x -> x.type()).toList(),
                "spin and swap become PipeIo; yield stays; odd (3 workers) cannot be paired and stays CpuSpin");
    }

    @Test
    void theTimelineCarriesEveryOpWithNonDecreasingIterations() {
        Scenario s = Scenario.of("tl", "timeline", Step.hold(HoldSpec.frac(0.5)),
                Step.of(HoldSpec.frac(0.5), Op.setCpuset("cg_0", CpusetSpec.llc(0)), Op.clearCpuset("cg_0")))
                .withBackdrop(Backdrop.EMPTY.withCgroup(CgroupDef.named("cg_0")));
        List<StimulusEvent> seen = new ArrayList<>();
        List<Integer> started = new ArrayList<>();
        EngineListener l = new EngineListener() {
            @Override
            public void stepStarted(int step, long elapsedMs) {
                started.add(step);
            }

            @Override
            public void event(StimulusEvent event) {
                seen.add(event);
            }
        };
        ScenarioRun r = run(s, EngineOptions.defaults().withListener(l));

        assertEquals(r.timeline(), seen);
        assertEquals(List.of(0, 1), started);
        assertEquals(List.of("Setup", "step-start", "step-end", "teardown", "step-start", "SetCpuset", "ClearCpuset",
                "step-end", "teardown"), r.timeline().stream().map(StimulusEvent::kind).toList());
        for (int i = 1; i < r.timeline().size(); i++) {
            assertTrue(r.timeline().get(i).cumulativeIterations() >= r.timeline().get(i - 1).cumulativeIterations());
            assertTrue(r.timeline().get(i).elapsedMs() >= r.timeline().get(i - 1).elapsedMs());
        }
        assertEquals(-1, r.timeline().get(0).step(), "backdrop setup is step -1");
        assertEquals("cg_0 cpuset=llc(0)", r.timeline().get(5).detail());
    }

    @Test
    void isolationJudgesAWorkerAgainstEveryCpusetItsCgroupHad() {
        // cg_0 starts on CPU 0, moves to CPU 1: a worker seen on 0-1 is fine, one seen on 2 is not.
        agent.reports = (spec, i) -> ReportBuilder.worker(i).group(spec.groupId()).cpus(i == 0 ? "0-1" : "1-2")
                .build();
        Scenario s = Scenario.of("iso", "isolation", Step.hold(HoldSpec.frac(0.5)),
                Step.of(HoldSpec.frac(0.5), Op.setCpuset("cg_0", CpusetSpec.exact(1))))
                .withBackdrop(Backdrop.EMPTY.withCgroup(CgroupDef.named("cg_0").withCpuset(CpusetSpec.exact(0))))
                .withChecks(Thresholds.builder().isolation(true).build());
        ScenarioRun r = run(s);

        assertEquals(Outcome.Status.FAILED, r.status());
        assertEquals(1, r.failures().size(), r.failures().toString());
        assertEquals("Isolation: cg_0 worker 1 (pid 101) ran on CPUs 2 outside its allowed CPUs 0-1 (used 1-2)",
                r.failures().get(0).message());
    }

    @Test
    void setAffinityResolvesPerWorkerAgainstTheCurrentCpusetAndInheritResets() {
        Scenario s = Scenario.of("aff", "affinity", Step.hold(HoldSpec.frac(0.5)),
                Step.of(HoldSpec.frac(0.5), Op.setAffinity("cg_0", AffinityKind.SINGLE_CPU),
                        Op.setAffinity("cg_0", AffinityKind.INHERIT)))
                .withBackdrop(Backdrop.EMPTY.withCgroup(CgroupDef.named("cg_0").withCpuset(CpusetSpec.exact(1, 2))));
        ScenarioRun r = run(s);
        assertEquals(Outcome.Status.PASSED, r.status(), r.report());
        assertEquals(List.of("setAffinity g1 [1, 1]", "setAffinity g1 [, ]"), agent.callsStartingWith("setAffinity"));
    }

    @Test
    void movedWorkersFollowTheirNewCgroupButKeepTheirName() {
        Scenario s = Scenario.of("move", "move", Step.hold(HoldSpec.frac(0.5)),
                Step.of(HoldSpec.frac(0.5), Op.moveAllTasks("cg_a", "cg_b"), Op.stopCgroup("cg_b")))
                .withBackdrop(Backdrop.EMPTY.withCgroup(CgroupDef.named("cg_a")).withOps(Op.addCgroup("cg_b")));
        ScenarioRun r = run(s);
        assertEquals(Outcome.Status.PASSED, r.status(), r.report());
        assertEquals(List.of("stopWorkers [1]"), agent.callsStartingWith("stopWorkers"),
                "StopCgroup(cg_b) stopped the moved group");
        assertEquals("cg_a", r.samples().get(0).cgroup());
        assertEquals("step 1", r.samples().get(0).phase());
    }

    @Test
    void payloadsAreWaitedForKilledAndDrainedAtTheStepEnd() {
        agent.payloadExits.put("bad", new ProcessExit(true, 3, 0, "starting\nboom\n".getBytes()));
        Scenario s = Scenario.of("pl", "payloads",
                Step.of(HoldSpec.frac(0.5), Op.runPayload("bad", "", "/bin/false"), Op.waitPayload("bad",
                        Duration.ofSeconds(5)), Op.runPayload("bg", "", "/bin/sleep", "100")));
        ScenarioRun r = run(s);

        assertEquals(Outcome.Status.FAILED, r.status());
        assertEquals("PayloadFailed: payload 'bad' exited with code 3: boom", r.failures().get(0).message());
        assertTrue(agent.calls.contains("signal bg 9"), "the step's teardown killed the background payload");
        assertEquals(List.of("bad", "bg"), r.payloads().stream().map(PayloadResult::name).toList());
        assertTrue(r.payloads().get(1).killed());
    }

    /** A payload that finished inside its step is collected at the teardown, not an agent error. */
    @Test
    void aPayloadThatEndedByItselfIsCollectedAtTheStepEnd() {
        agent.payloadExits.put("quick", new ProcessExit(true, 0, 0, "ok\n".getBytes()));
        agent.payloadExits.put("broken", new ProcessExit(true, 2, 0, "no such file\n".getBytes()));
        agent.failOn("signal quick", new AgentException(AgentException.Kind.REMOTE_ERROR, 3,
                "process 'quick' already exited", null));
        agent.failOn("signal broken", new AgentException(AgentException.Kind.REMOTE_ERROR, 3,
                "process 'broken' already exited", null));
        Scenario s = Scenario.of("pl", "payloads", Step.of(HoldSpec.frac(1.0), Op.runPayload("quick", "", "/bin/true"),
                Op.runPayload("broken", "", "/bin/sh", "-c", "exit 2")));
        ScenarioRun r = run(s);

        assertEquals(List.of("PayloadFailed: payload 'broken' exited with code 2 before its step ended: no such file"),
                r.failures().stream().map(Outcome.Failure::message).toList(), r.report());
        assertEquals(Outcome.Status.FAILED, r.status());
        assertEquals(List.of("quick", "broken"), r.payloads().stream().map(PayloadResult::name).toList());
        assertTrue(r.payloads().stream().noneMatch(PayloadResult::killed), "neither was killed");
    }

    @Test
    void aPayloadSignalFailureOtherThanExitedIsAnAgentError() {
        agent.failOn("signal bg", new AgentException(AgentException.Kind.REMOTE_ERROR, 1, "kill bg: EPERM", null));
        Scenario s = Scenario.of("pl", "payloads", Step.of(HoldSpec.frac(1.0), Op.runPayload("bg", "", "/bin/sleep",
                "100")));
        ScenarioRun r = run(s);
        assertEquals(Outcome.Status.ERROR, r.status(), r.report());
        assertTrue(r.failures().get(0).message().startsWith("AgentFailed: while step 0 teardown"), r.report());
    }

    @Test
    void customProgramsRunAtTheirGuestPath(@TempDir Path dir) throws Exception {
        Path prog = dir.resolve("hog");
        Files.writeString(prog, "#!/bin/sh\n");
        Files.setPosixFilePermissions(prog, PosixFilePermissions.fromString("rwxr-xr-x"));
        Scenario s = Scenario.of("custom", "custom work",
                Step.withDefs(HoldSpec.FULL, CgroupDef.named("cg_0").workType(WorkType.Custom.of(prog, "-n", "3"))));
        agent.reports = (spec, i) -> ReportBuilder.worker(i).group(spec.groupId()).work(0, 0).build();
        ScenarioRun r = run(s, EngineOptions.defaults().withProgramLocator(p -> "/include-files/" + p.getFileName()));
        assertEquals(Outcome.Status.PASSED, r.status(), "no work units is fine for Custom: " + r.report());
        assertEquals(List.of("/include-files/hog", "-n", "3"), agent.specs.get(1).customArgv());
        assertEquals(20, agent.specs.get(1).type());
    }

    @Test
    void thresholdsMergeDefaultsScenarioSchedulerAndTest() {
        Scenario s = Scenario.of("th", "thresholds", Step.withDefs(HoldSpec.FULL, CgroupDef.named("cg_0")))
                .withChecks(Thresholds.builder().maxSpreadPct(75).maxGapMs(1500).build());
        ScenarioRun r = run(s, EngineOptions.defaults().withChecks(Thresholds.builder().maxGapMs(1000).build(),
                Thresholds.builder().maxThroughputCv(0.5).build()));
        assertEquals(75.0, r.thresholds().maxSpreadPct());
        assertEquals(1000L, r.thresholds().maxGapMs());
        assertEquals(0.5, r.thresholds().maxThroughputCv());
        assertEquals(Boolean.TRUE, r.thresholds().notStarved());
    }

    @Test
    void anInterruptCutsTheScenarioShortCleansUpAndKeepsTheInterruptFlag() {
        EngineClock interrupting = new EngineClock() {
            @Override
            public long nanoTime() {
                return clock.nanoTime();
            }

            @Override
            public void sleep(Duration d) throws InterruptedException {
                throw new InterruptedException("test");
            }
        };
        ScenarioRun r = new ScenarioEngine(agent, EngineOptions.defaults().withClock(interrupting))
                .run(Scenario.of("int", "interrupted", Step.withDefs(HoldSpec.FULL, CgroupDef.named("cg_0"))), ENV);
        try {
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
        assertEquals(Outcome.Status.ERROR, r.status());
        assertTrue(agent.calls.contains("removeCgroup cg_0"));
    }

    @Test
    void repeatedCgroupNamesAcrossStepsGetPhaseSuffixedStatistics() {
        Scenario s = Scenario.of("osc", "oscillation", Step.withDefs(HoldSpec.frac(0.5), CgroupDef.named("cg_0")),
                Step.withDefs(HoldSpec.frac(0.5), CgroupDef.named("cg_0").workers(1)));
        ScenarioRun r = run(s);
        assertEquals(List.of("cg_0@step0", "cg_0@step1"), r.cgroups().stream().map(c -> c.name()).toList());
    }

    @Test
    void spawnHostWorkersRunInTheAgentRootAndAreNamedHost() {
        ScenarioRun r = run(Scenario.of("host", "host contention",
                Step.withDefs(HoldSpec.FULL, CgroupDef.named("cg_0")).setOps(Op.spawnHost(Work.defaults().workers(4)))));
        assertEquals(Outcome.Status.PASSED, r.status(), r.report());
        assertEquals("", agent.specs.get(1).cgroup());
        assertEquals(List.of("(host)", "cg_0"), r.cgroups().stream().map(c -> c.name()).toList());
    }
}
