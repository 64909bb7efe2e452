package dev.ktstr.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ktstr.kvm.engine.EngineSelector;
import dev.ktstr.runtime.cli.scenario.RunCommand;
import dev.ktstr.runtime.kernel.KernelException;
import dev.ktstr.runtime.kernel.KernelProvisioner;
import dev.ktstr.runtime.kernel.ProgressSink;
import dev.ktstr.runtime.kernel.ResolvedKernel;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code ktstr run --vm --scheduler BIN} end to end, in real guests: the scheduler is found before
 * boot, shipped, started and watched, so a passing scenario ran under it, and its failure is the
 * scenario's named failure.
 */
@Tag("vm")
class RunSchedulerVmIT {

    @BeforeAll
    static void requireEngineAndKernel() {
        EngineSelector.Choice engine = EngineSelector.fromServiceLoader().choose();
        assumeTrue(engine.found(), "no VM engine: " + engine.reason());
        try {
            ResolvedKernel k = KernelProvisioner.ensureDefault(ProgressSink.SILENT);
            assumeTrue(k.vmlinux().isPresent(), "kernel " + k.describe() + " has no vmlinux to build schedulers for");
        } catch (KernelException e) {
            assumeTrue(false, "no kernel: " + e.getMessage());
        }
    }

    private record Result(int exit, String out, String err) {}

    private static Result ktstrRun(String... args) {
        CommandLine cl = new CommandLine(new RunCommand(new DefaultRunExecutor()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        long t0 = System.nanoTime();
        int exit = cl.execute(args);
        System.out.printf("ktstr run %s: exit %d in %.1f s%n%s", String.join(" ", args), exit,
                (System.nanoTime() - t0) / 1e9, out);
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void aSteadyScenarioPassesUnderScxSimple() throws Exception {
        Result r = ktstrRun("--vm", "--scheduler", "scx_simple", "--scenario", "cgroup_steady", "--duration", "2",
                "--workers", "2", "--json");
        assertEquals(0, r.exit(), r.out() + r.err());
        JsonNode runs = new ObjectMapper().readTree(r.out());
        assertEquals(1, runs.size(), r.out());
        assertEquals("PASSED", runs.get(0).get("status").asText(), r.out());
        assertTrue(runs.get(0).get("where").asText().contains("scheduler scx_simple"), r.out());
    }

    @Test
    void theFixturesStallIsTheScenariosEjection() {
        Result r = ktstrRun("--vm", "--scheduler", "ktstr_fixture", "--sched-arg=--stall-after", "--sched-arg", "1",
                "--watchdog-timeout", "2", "--scenario", "cgroup_steady", "--duration", "6", "--workers", "2");
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("FAIL  cgroup_steady"), r.out());
        assertTrue(r.out().contains("ejected by the kernel: runnable task stall"), r.out());
    }

    @Test
    void aSchedulerDiscoveryCannotFindEndsTheRunBeforeBoot() {
        Result r = ktstrRun("--vm", "--scheduler", "scx_does_not_exist", "--scenario", "cgroup_steady");
        assertEquals(DefaultRunExecutor.EXIT_UNAVAILABLE, r.exit(), r.out() + r.err());
        assertTrue(r.err().startsWith("ktstr run: scheduler binary 'scx_does_not_exist' not found: searched "), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line, no stack trace: " + r.err());
    }

    @Test
    void theFixturesBuiltInFlagsRunTheirScenarios() throws Exception {
        Result r = ktstrRun("--vm", "--topology", "tiny-2llc", "--scheduler", "ktstr_fixture", "--flags", "llc,steal",
                "--scenario", "cgroup_llc_overflow", "--duration", "2", "--json");
        assertEquals(0, r.exit(), r.out() + r.err());
        JsonNode run = new ObjectMapper().readTree(r.out()).get(0);
        assertEquals("PASSED", run.get("status").asText(), r.out());
        assertTrue(run.get("where").asText().contains("scheduler ktstr_fixture [llc+steal]"), r.out());
    }
}
