package dev.ktstr.runtime.cli.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.runtime.scenario.WorkType;
import dev.ktstr.runtime.scenario.canned.CatalogEntry;
import dev.ktstr.topology.Topology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code ktstr run} option parsing and validation; the executor only records the plan. */
class RunCommandTest {

    private RunPlan captured;
    private BareMetalPreflight host = new BareMetalPreflight(Path.of("/sys/fs/cgroup"), true,
            Set.of("cpuset", "cpu", "memory"), true, List.of());

    private CliTestSupport.Result run(String... args) {
        captured = null;
        return CliTestSupport.run(new RunCommand((plan, out, err) -> {
            captured = plan;
            return 0;
        }, () -> host), args);
    }

    @Test
    void bareMetalNeedsUsableCgroupV2AndNotesAMissingCpusetController() {
        host = new BareMetalPreflight(Path.of("/sys/fs/cgroup"), false, Set.of(), false, List.of("/sys/fs/cgroup/unified"));
        assertUsage(run("--scenario", "cgroup_steady"), "bare-metal runs need the unified cgroup v2 hierarchy");
        assertEquals(0, run("--scenario", "cgroup_steady", "--vm").exit(), "a VM does not need the host's cgroups");
        host = new BareMetalPreflight(Path.of("/sys/fs/cgroup"), true, Set.of("cpu", "memory"), true, List.of());
        CliTestSupport.Result r = run("--scenario", "cgroup_steady");
        assertEquals(0, r.exit());
        assertTrue(r.err().contains("note: scenarios that write cpusets will be skipped on this host: the cpuset "
                + "controller is not available"), r.err());
    }

    @Test
    void aFullCommandLineBecomesAPlan() {
        CliTestSupport.Result r = run("--scenario", "cgroup_steady,sched_fifo", "--vm", "--topology", "tiny-2llc",
                "--duration", "2.5", "--workers", "3", "--work-type", "pipe_io", "--json", "--out", "/tmp/x",
                "--repeat", "2");
        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of("cgroup_steady", "sched_fifo"), captured.entries().stream().map(CatalogEntry::name).toList());
        assertEquals(new RunPlan.Target.Vm("tiny-2llc", Topology.of(2, 2, 1)), captured.target());
        assertEquals(Duration.ofMillis(2500), captured.duration());
        assertEquals(3, captured.workersPerCgroup());
        assertEquals(new WorkType.PipeIo(1024), captured.workType());
        assertTrue(captured.json());
        assertEquals(Path.of("/tmp/x"), captured.outDir());
        assertEquals(2, captured.repeat());
        assertTrue(captured.env(Topology.of(1, 2, 1)).workTypeOverride().isPresent());
    }

    @Test
    void defaultsAreBareMetalTwentySecondsFourWorkers() {
        assertEquals(0, run("--scenario", "cgroup_steady").exit());
        assertEquals(new RunPlan.Target.BareMetal(), captured.target());
        assertEquals(Duration.ofSeconds(20), captured.duration());
        assertEquals(4, captured.workersPerCgroup());
        assertNull(captured.workType());
        assertEquals(1, captured.repeat());
        assertEquals(0, run("--scenario", "cgroup_steady", "--vm").exit());
        assertEquals(new RunPlan.Target.Vm("1n1l2c1t", new Topology(1, 1, 2, 1)), captured.target());
    }

    @Test
    void allRunsTheFlaglessScenariosUnlessFlagsAreGiven() {
        run("--all");
        assertTrue(captured.entries().stream().allMatch(e -> e.requiredFlags().isEmpty()));
        int flagless = captured.entries().size();
        run("--all", "--flags", "llc,steal");
        List<String> names = captured.entries().stream().map(CatalogEntry::name).toList();
        assertTrue(names.contains("cgroup_llc_overflow"), names.toString());
        assertTrue(!names.contains("cgroup_load_imbalance"), "needs rebal");
        assertTrue(captured.entries().size() > flagless);
        run("--all", "--filter", "nested");
        assertTrue(captured.entries().stream().allMatch(e -> e.name().contains("nested")));
    }

    @Test
    void badInputIsAnErrorBeforeAnythingRuns() {
        assertUsage(run("--scenario", "cgroup_stedy"), "unknown scenario 'cgroup_stedy' (did you mean 'cgroup_steady'?)");
        assertUsage(run("--scenario", "cgroup_steady", "--all"), "mutually exclusive");
        assertUsage(run(), "Missing required argument");
        assertUsage(run("--all", "--topology", "tiny-2llc"), "--topology needs --vm");
        assertUsage(run("--all", "--vm", "--topology", "tiny-2lc"), "unknown topology 'tiny-2lc' (did you mean 'tiny-2llc'?)");
        assertUsage(run("--all", "--work-type", "FutexFanOt"), "unknown work type 'FutexFanOt' (did you mean 'FutexFanOut'?)");
        assertUsage(run("--all", "--flags", "lcc"), "unknown flag 'lcc' (did you mean 'llc'?)");
        assertUsage(run("--all", "--flags", "steal"), "flag 'steal' requires 'llc'");
        assertUsage(run("--all", "--duration", "0"), "--duration must be a positive number");
        assertUsage(run("--all", "--workers", "0"), "--workers must be at least 1");
        assertUsage(run("--all", "--repeat", "0"), "--repeat must be at least 1");
        assertUsage(run("--all", "--filter", "no_such_thing"), "no scenario matches the selection");
    }

    @Test
    void aKnownSchedulersFlagsAreItsFlagsAndSelectTheCatalog() {
        CliTestSupport.Result r = run("--all", "--vm", "--topology", "smt-2llc", "--scheduler", "ktstr_fixture",
                "--flags", "steal,llc", "--sched-arg=--exit-dump-len", "--sched-arg", "4096", "--watchdog-timeout", "2");
        assertEquals(0, r.exit(), r.err());
        RunPlan.Scheduler s = ((RunPlan.Target.Vm) captured.target()).scheduler().orElseThrow();
        assertEquals("ktstr_fixture", s.binary());
        assertEquals(List.of("llc", "steal"), s.flags(), "declaration order");
        assertEquals(List.of("--exit-dump-len", "4096", "--llc-aware", "--steal"), s.args());
        assertEquals(Duration.ofSeconds(2), s.watchdog());
        assertEquals(List.of("llc", "steal"), captured.activeFlags());
        assertTrue(captured.entries().stream().anyMatch(e -> e.name().equals("cgroup_llc_overflow")));
        assertEquals("ktstr_fixture [llc+steal]", s.describe());
    }

    @Test
    void aPlainBinarysFlagsAreLiteralArgumentsAndSelectNothing() {
        CliTestSupport.Result r = run("--scenario", "cgroup_steady", "--vm", "--scheduler", "scx_simple", "--flags=-f");
        assertEquals(0, r.exit(), r.err());
        RunPlan.Scheduler s = ((RunPlan.Target.Vm) captured.target()).scheduler().orElseThrow();
        assertEquals(List.of(), s.flags());
        assertEquals(List.of("-f"), s.args());
        assertEquals(List.of(), captured.activeFlags());
        assertEquals(Duration.ofSeconds(4), s.watchdog(), "the @KtstrTest default");
        run("--scenario", "cgroup_steady", "--vm");
        assertEquals(java.util.Optional.empty(), ((RunPlan.Target.Vm) captured.target()).scheduler());
    }

    @Test
    void badSchedulerInputIsAnErrorBeforeAnythingBoots() {
        assertUsage(run("--all", "--scheduler", "scx_simple"), "--scheduler needs --vm");
        assertUsage(run("--all", "--sched-arg", "-f"), "--sched-arg needs --scheduler");
        assertUsage(run("--all", "--vm", "--scheduler", "ktstr_fixture", "--flags", "steal"),
                "flag 'steal' of ktstr_fixture requires 'llc'");
        assertUsage(run("--all", "--vm", "--scheduler", "ktstr_fixture", "--flags", "lcc"),
                "'lcc' is not a flag of scheduler ktstr_fixture");
        assertUsage(run("--all", "--vm", "--scheduler", "ktstr_fixture", "--watchdog-timeout", "0"),
                "--watchdog-timeout must be at least 1 s");
    }

    private void assertUsage(CliTestSupport.Result r, String expected) {
        assertEquals(2, r.exit(), r.out());
        assertTrue(r.err().contains(expected), r.err());
        assertNull(captured, "the executor was not called");
    }
}
