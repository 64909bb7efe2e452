package dev.ktstr.runtime.cli.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ktstr.runtime.agent.AgentException;
import dev.ktstr.runtime.agent.GuestAgent;
import dev.ktstr.runtime.scenario.canned.Catalog;
import dev.ktstr.runtime.testing.FakeAgent;
import dev.ktstr.runtime.testing.ReportBuilder;
import dev.ktstr.runtime.testing.VirtualClock;
import dev.ktstr.topology.Topology;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogRunExecutorTest {

    private static final Topology TOPO = Topology.of(2, 2, 1);

    private final List<FakeAgent> agents = new ArrayList<>();
    private final List<String> closed = new ArrayList<>();
    private String cpusetLimitation;

    private GuestSession session(FakeAgent agent) {
        agents.add(agent);
        return new GuestSession() {
            @Override
            public GuestAgent agent() {
                return agent;
            }

            @Override
            public Topology topology() {
                return TOPO;
            }

            @Override
            public String describe() {
                return "fake " + TOPO;
            }

            @Override
            public Optional<String> cpusetLimitation() {
                return Optional.ofNullable(cpusetLimitation);
            }

            @Override
            public void close() {
                closed.add("session " + agents.indexOf(agent));
            }
        };
    }

    private static RunPlan plan(boolean json, Path out, int repeat, String... names) {
        return new RunPlan(List.of(names).stream().map(Catalog::get).toList(), new RunPlan.Target.BareMetal(),
                Duration.ofSeconds(2), 2, null, List.of(), json, out, repeat);
    }

    private String execute(CatalogRunExecutor ex, RunPlan plan, int expectedExit) throws Exception {
        StringWriter out = new StringWriter();
        int exit = ex.execute(plan, new PrintWriter(out), new PrintWriter(new StringWriter()));
        assertEquals(expectedExit, exit, out.toString());
        return out.toString();
    }

    @Test
    void passingRunsPrintOneLineEachAndASummary() throws Exception {
        CatalogRunExecutor ex = new CatalogRunExecutor(t -> session(new FakeAgent()), new JsonSummaryRecorder(),
                new VirtualClock());
        String out = execute(ex, plan(false, null, 1, "cgroup_steady", "cgroup_cpuset_llc_steady"), 0);
        assertEquals("running on fake 1n2l2c1t\nPASS  cgroup_steady [2.0 s]\nPASS  cgroup_cpuset_llc_steady [2.0 s]\n"
                + "2 runs: 2 passed, 0 failed, 0 skipped\n", out);
        assertEquals(List.of("session 0"), closed, "one session for the plan, closed at the end");
    }

    @Test
    void aFailureShowsItsReasonsAndStatsAndExitsOne() throws Exception {
        FakeAgent starving = new FakeAgent();
        starving.reports = (spec, i) -> ReportBuilder.worker(i).group(spec.groupId()).pid(300 + i).work(i == 0 ? 0 : 5, 1)
                .build();
        CatalogRunExecutor ex = new CatalogRunExecutor(t -> session(starving), new JsonSummaryRecorder(), new VirtualClock());
        String out = execute(ex, plan(false, null, 1, "cgroup_steady"), 1);
        assertTrue(out.contains("FAIL  cgroup_steady [2.0 s]\n    Starved: cg_0 worker 0 (pid 300) [CpuSpin] made no "
                + "progress"), out);
        assertTrue(out.contains("    --- stats ---\n"), out);
        assertTrue(out.endsWith("1 runs: 0 passed, 1 failed, 0 skipped\n"), out);
    }

    @Test
    void jsonAndOutDirRecordEveryRepetition(@TempDir Path dir) throws Exception {
        CatalogRunExecutor ex = new CatalogRunExecutor(t -> session(new FakeAgent()), new JsonSummaryRecorder(),
                new VirtualClock());
        String out = execute(ex, plan(true, dir, 2, "sched_batch"), 0);
        JsonNode runs = new ObjectMapper().readTree(out);
        assertEquals(2, runs.size());
        assertEquals("PASSED", runs.get(1).get("status").asText());
        assertEquals(1, runs.get(1).get("repetition").asInt());
        assertTrue(runs.get(0).get("metrics").has("total_iterations"));
        assertTrue(Files.exists(dir.resolve("sched_batch-0.json")));
        assertTrue(Files.exists(dir.resolve("sched_batch-1.json")));
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary files left");
        }
    }

    @Test
    void scenariosThatWriteCpusetsAreSkippedWhereCpusetsAreUnavailable() throws Exception {
        cpusetLimitation = "the cpuset controller is not available";
        CatalogRunExecutor ex = new CatalogRunExecutor(t -> session(new FakeAgent()), new JsonSummaryRecorder(),
                new VirtualClock());
        String out = execute(ex, plan(false, null, 1, "cgroup_steady", "cgroup_cpuset_apply_midrun"), 0);
        assertTrue(out.contains("PASS  cgroup_steady"), out);
        assertTrue(out.contains("SKIP  cgroup_cpuset_apply_midrun: writes cpusets, which fake 1n2l2c1t cannot: the cpuset "
                + "controller is not available\n"), out);
    }

    @Test
    void aDeadAgentGetsAFreshSessionForTheNextScenario() throws Exception {
        CatalogRunExecutor ex = new CatalogRunExecutor(t -> {
            FakeAgent a = new FakeAgent();
            if (agents.isEmpty()) {
                a.failOn("startWorkers", new AgentException(AgentException.Kind.AGENT_DIED, "VM gone"));
            }
            return session(a);
        }, new JsonSummaryRecorder(), new VirtualClock());
        String out = execute(ex, plan(false, null, 1, "cgroup_steady", "sched_idle"), 1);
        assertTrue(out.contains("ERROR cgroup_steady"), out);
        assertTrue(out.contains("PASS  sched_idle"), out);
        assertEquals(2, agents.size());
        assertEquals(List.of("session 0", "session 1"), closed);
    }
}
