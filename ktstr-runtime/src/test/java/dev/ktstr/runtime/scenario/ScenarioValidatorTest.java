package dev.ktstr.runtime.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.topology.CpuSet;
import dev.ktstr.topology.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input is a clear error before any VM boots. */
class ScenarioValidatorTest {

    private static final Topology T4 = Topology.of(1, 4, 1);

    private static List<String> problems(Scenario s) {
        return ScenarioValidator.problems(s, ScenarioEnv.defaults(T4));
    }

    private static Scenario steps(Step... steps) {
        return Scenario.of("s", "test", steps);
    }

    @Test
    void aGoodScenarioHasNoProblems() {
        Scenario s = steps(Step.hold(HoldSpec.frac(0.5)),
                Step.of(HoldSpec.frac(0.5), Op.setCpuset("cg_0", CpusetSpec.disjoint(0, 2)), Op.swapCpusets("cg_0", "cg_1"),
                        Op.moveAllTasks("cg_0", "cg_1"), Op.setAffinity("cg_1", AffinityKind.RANDOM_SUBSET)))
                .withBackdrop(Backdrop.EMPTY.withCgroups(CgroupDef.named("cg_0"), CgroupDef.named("cg_1")));
        assertEquals(List.of(), problems(s));
        s.validate(T4);
    }

    @Test
    void noStepsIsAnError() {
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class, () -> steps().validate(T4));
        assertEquals("scenario 's' is invalid: it has no steps", e.getMessage());
    }

    @Test
    void unknownCgroupsAreNamedWithASuggestion() {
        Scenario s = steps(Step.of(HoldSpec.FULL, Op.setCpuset("cg_O", CpusetSpec.llc(0))))
                .withBackdrop(Backdrop.EMPTY.withCgroup(CgroupDef.named("cg_0")));
        assertEquals(List.of("step 0 op 0 (SetCpuset cg_O cpuset=llc(0)): unknown cgroup 'cg_O' (did you mean 'cg_0'?) "
                + "(existing: cg_0)"), problems(s));
    }

    @Test
    void aCpusetOutsideTheTopologyIsAnError() {
        Scenario s = steps(Step.withDefs(HoldSpec.FULL, CgroupDef.named("cg_0").withCpuset(CpusetSpec.exact(3, 4, 5))));
        assertEquals(List.of("step 0 cgroup cg_0: cpuset 3-5 names CPUs 4-5 outside the topology 1n1l4c1t (CPUs 0-3)"),
                problems(s));
    }

    @Test
    void zeroWorkersAndIndivisibleGroupsAreErrors() {
        Scenario s = steps(Step.withDefs(HoldSpec.FULL,
                CgroupDef.named("a").workers(WorkerCount.computed("none", (env, c) -> 0)),
                CgroupDef.named("b").workType(WorkType.FutexFanOut.defaults()).workers(4)));
        assertEquals(List.of("step 0 cgroup a: a worker group of CpuSpin resolves to 0 workers (count none); it needs at least 1",
                "step 0 cgroup b: 4 workers of FutexFanOut[4, 1024] is not a multiple of its group size 5"), problems(s));
    }

    @Test
    void customProgramsMustExistAndBeExecutable(@TempDir Path dir) throws Exception {
        Path notExec = Files.writeString(dir.resolve("script"), "#!/bin/sh\n");
        Scenario s = steps(Step.withDefs(HoldSpec.FULL,
                CgroupDef.named("a").workType(WorkType.Custom.of(dir.resolve("missing"))),
                CgroupDef.named("b").workType(WorkType.Custom.of(notExec))));
        assertEquals(List.of("step 0 cgroup a: custom work program " + dir.resolve("missing") + " does not exist",
                "step 0 cgroup b: custom work program " + notExec + " is not executable (chmod +x)"), problems(s));
    }

    @Test
    void duplicateAndParentlessCgroupsAreErrors() {
        Scenario s = steps(Step.withDefs(HoldSpec.FULL, CgroupDef.named("a"), CgroupDef.named("a"), CgroupDef.named("x/y")));
        assertEquals(List.of("step 0 cgroup a: defined twice in the same setup",
                "step 0 cgroup x/y: cgroup 'x/y' needs its parent 'x' to exist first (add it with Op.addCgroup or an earlier CgroupDef)"),
                problems(s));
    }

    @Test
    void stepLocalCgroupsAreGoneInTheNextStep() {
        Scenario s = steps(Step.withDefs(HoldSpec.frac(0.5), CgroupDef.named("tmp")),
                Step.of(HoldSpec.frac(0.5), Op.stopCgroup("tmp")));
        assertEquals(List.of("step 1 op 0 (StopCgroup tmp): unknown cgroup 'tmp' (no cgroups exist at this point)"),
                problems(s));
    }

    @Test
    void backdropTasksMayNotMoveIntoAStepLocalCgroup() {
        Scenario s = steps(Step.withDefs(HoldSpec.FULL, CgroupDef.named("tmp")).setOps(Op.addCgroup("tmp2"),
                Op.moveAllTasks("keep", "tmp2"))).withBackdrop(Backdrop.EMPTY.withCgroup(CgroupDef.named("keep")));
        assertEquals(List.of("step 0 op 1 (MoveAllTasks keep -> tmp2): cannot move the tasks of Backdrop cgroup 'keep' "
                + "into step-local cgroup 'tmp2': the step's teardown would strand them"), problems(s));
    }

    @Test
    void loopOpsAreValidatedAsRepeated() {
        Scenario s = steps(Step.of(HoldSpec.loop(Duration.ofMillis(100)), Op.addCgroup("churn")));
        assertEquals(List.of("step 0 (loop repetition) op 0 (AddCgroup churn): cgroup 'churn' already exists"), problems(s));
        Scenario ok = steps(Step.of(HoldSpec.loop(Duration.ofMillis(100)), Op.addCgroup("c"), Op.removeCgroup("c")));
        assertEquals(List.of(), problems(ok));
    }

    @Test
    void memoryPoliciesMustReachTheirNodes() {
        Topology numa = new Topology(2, 2, 2, 1);
        Scenario s = steps(Step.withDefs(HoldSpec.FULL,
                CgroupDef.named("a").withCpuset(CpusetSpec.numa(0)).memPolicy(MemPolicy.bind(1)),
                CgroupDef.named("b").memPolicy(MemPolicy.interleave(0, 3))));
        assertEquals(List.of("step 0 cgroup a: memory policy Bind(1) names nodes 1 that the cgroup's cpuset 0-1 cannot "
                + "reach (its nodes: 0)", "step 0 cgroup b: memory policy Interleave(0,3) names nodes 3 outside the "
                + "topology 2n2l2c1t (2 nodes)"), ScenarioValidator.problems(s, ScenarioEnv.defaults(numa)));
    }

    @Test
    void payloadNamesMustBeRunningToWaitOrKill() {
        Scenario s = steps(Step.of(HoldSpec.FULL, Op.runPayload("p", "", "/bin/true"), Op.waitPayload("q",
                Duration.ofSeconds(1))));
        assertEquals(List.of("step 0 op 1 (WaitPayload q (up to 1000 ms)): no running payload 'q' (did you mean 'p'?)"),
                problems(s));
    }

    @Test
    void aScenarioTheTopologyCannotHostIsSkippedNotInvalid() {
        Scenario s = steps(Step.withDefs(HoldSpec.FULL, CgroupDef.named("a").withCpuset(CpusetSpec.exact(CpuSet.of(40)))))
                .requiring(Requirement.minCpus(64));
        assertEquals(List.of(), problems(s));
        assertEquals("need >= 64 CPUs", s.skipReason(T4).orElseThrow());
    }

    @Test
    void theExceptionListsEveryProblem() {
        Scenario s = steps(Step.of(HoldSpec.FULL, Op.stopCgroup("a"), Op.stopCgroup("b")));
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class, () -> s.validate(T4));
        assertEquals(2, e.problems().size());
        assertTrue(e.getMessage().startsWith("scenario 's' is invalid (2 problems):\n  step 0 op 0"), e.getMessage());
    }
}
