package dev.ktstr.runtime.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ktstr.annotations.Flag;
import dev.ktstr.annotations.KtstrTest;
import dev.ktstr.annotations.Scheduler;
import dev.ktstr.kvm.engine.EngineSelector;
import dev.ktstr.runtime.Ctx;
import dev.ktstr.runtime.KtstrRunner;
import dev.ktstr.runtime.Variant;
import dev.ktstr.runtime.kernel.KernelException;
import dev.ktstr.runtime.kernel.ResolvedKernel;
import dev.ktstr.runtime.result.MonitorSummary;
import dev.ktstr.runtime.result.Outcome;
import dev.ktstr.runtime.result.ResultFiles;
import dev.ktstr.runtime.result.RunResult;
import dev.ktstr.runtime.result.StimulusEvent;
import dev.ktstr.runtime.scenario.AffinityKind;
import dev.ktstr.runtime.scenario.CgroupDef;
import dev.ktstr.runtime.scenario.HoldSpec;
import dev.ktstr.runtime.scenario.Scenario;
import dev.ktstr.runtime.scenario.Step;
import dev.ktstr.runtime.scenario.canned.Scenarios;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * The monitor through the runner, as users meet it: a sched_ext scheduler (ktstr_fixture) under a
 * scenario, the monitor's verdict in the JUnit message and the result file, its phases on the
 * result's timeline, and the line a run gets when its kernel cannot be read.
 */
@Tag("vm")
class MonitorRunnerIT {

    /** The harness's fixture scheduler; {@code --unfair}: 20 ms slices for even pids, 0.2 ms for odd. */
    @Scheduler(name = "ktstr_fixture", binary = "ktstr_fixture")
    enum Fixture {
        @Flag(args = "--unfair") UNFAIR,
    }

    /** Test methods as a user writes them; the IT calls the runner the way generated code does. */
    static class Subject {
        /**
         * Four workers anywhere, then six pinned to CPU 0: the second step piles CPU 0's runqueue up
         * while CPU 1 idles. The fairness limit is lifted so the monitor's verdict stands alone (and
         * two workers per CPU keep the keep-last rate, one event per slice of a lone task, at zero).
         */
        @KtstrTest(scheduler = Fixture.class, cores = 2, durationS = 6, maxSpreadPct = 100)
        void pileUpOnCpu0(Ctx ctx) {
            ctx.run(Scenario.of("pile_up", "four spread workers, then six pinned to CPU 0",
                    Step.withDefs(HoldSpec.frac(0.5), CgroupDef.named("spread").workers(4)),
                    Step.withDefs(HoldSpec.frac(0.5), CgroupDef.named("piled").workers(6)
                            .affinity(AffinityKind.exact(0)))));
        }

        @KtstrTest(scheduler = Fixture.class, cores = 2, durationS = 4)
        void balanced(Ctx ctx) {
            ctx.run(Scenarios.steady());
        }

        @KtstrTest(scheduler = Fixture.class, cores = 2, durationS = 1)
        void briefly(Ctx ctx) {
            ctx.run(Scenarios.steady());
        }
    }

    private static final Pattern IMBALANCE = Pattern.compile(
            "Imbalance: monitor: imbalance: (\\d+(?:\\.\\d+)?) > 4\\.0 \\(cpu (\\d+) has (\\d+) runnable tasks, cpu (\\d+) "
                    + "has (\\d+)\\) for (\\d+) consecutive samples");
    private static final Pattern RESULT = Pattern.compile("\nresult: (\\S+)");

    @Test
    void aPileUpOnCpu0FailsTheImbalanceCheckNamingTheCpuAndTheRatio() throws Exception {
        Variant v = Variant.base(Subject.class, "pileUpOnCpu0", "UNFAIR");
        String message;
        try {
            KtstrRunner.run(v, ctx -> new Subject().pileUpOnCpu0(ctx));
            fail("six workers pinned to CPU 0 beside an idle CPU 1 must fail the imbalance check");
            return;
        } catch (AssertionFailedError e) {
            message = e.getMessage();
        }
        System.out.println(message);
        assertTrue(message.startsWith("ktstr_test 'pileUpOnCpu0' [ktstr_fixture] [topo=1n1l2c1t] [UNFAIR] failed:"),
                message);
        Matcher m = IMBALANCE.matcher(message);
        assertTrue(m.find(), message);
        double ratio = Double.parseDouble(m.group(1));
        assertEquals("0", m.group(2), "the busy CPU: " + message);
        assertEquals("1", m.group(4), "the idle CPU: " + message);
        assertTrue(ratio >= 5 && Long.parseLong(m.group(3)) >= 5, "six workers on CPU 0: " + message);
        assertTrue(Integer.parseInt(m.group(6)) >= 5, "sustained: " + message);
        assertTrue(message.contains("\n--- monitor ---\nok: "), message);

        Matcher file = RESULT.matcher(message);
        assertTrue(file.find(), message);
        RunResult r = ResultFiles.mapper().readValue(Path.of(file.group(1)).toFile(), RunResult.class);
        assertEquals(Outcome.Status.FAILED, r.outcome().status());
        assertEquals(List.of("Imbalance"), r.outcome().failures().stream().map(Outcome.Failure::kind).distinct()
                .toList(), r.outcome().failures().toString());
        MonitorSummary mon = r.monitor();
        assertEquals("ok", mon.status());
        assertTrue(mon.maxImbalanceRatio() >= 5, mon.toString());
        assertTrue(r.metrics().get("max_imbalance_ratio") >= 5, r.metrics().toString());
        assertPhasesOnTheTimeline(r, 2);
        MonitorSummary.Phase spread = mon.phases().get(0);
        MonitorSummary.Phase piled = mon.phases().get(1);
        assertTrue(spread.meanNrRunning() >= 1.5 && spread.meanNrRunning() < 2.6, "four workers on two CPUs: "
                + spread);
        assertTrue(piled.meanNrRunning() >= 2.5, "six workers and the rest on two CPUs: " + piled);
        assertTrue(piled.maxImbalanceRatio() >= 5 && piled.maxImbalanceRatio() > spread.maxImbalanceRatio(),
                spread + " then " + piled);
    }

    @Test
    void aBalancedRunPassesWithTheMonitorsFigures() throws Exception {
        Variant v = Variant.base(Subject.class, "balanced");
        List<RunnerSupport.Repetition> reps = RunnerSupport.execute(TestDeclaration.of(v),
                ctx -> new Subject().balanced(ctx));
        RunnerSupport.Repetition rep = reps.get(0);
        assumeTrue(rep.outcome().status() != Outcome.Status.SKIPPED, () -> rep.outcome().failures().toString());
        assertEquals(Outcome.Status.PASSED, rep.outcome().status(), rep.describe());
        RunResult r = ResultFiles.mapper().readValue(rep.file().toFile(), RunResult.class);
        MonitorSummary mon = r.monitor();
        assertNotNull(mon);
        assertEquals("ok", mon.status(), mon.toString());
        assertEquals(List.of(), mon.violations());
        assertTrue(mon.samples() >= 30, mon.toString());
        assertTrue(mon.maxImbalanceRatio() <= 4.0, mon.toString());
        assertEquals(0, mon.stallCount(), mon.toString());
        assertPhasesOnTheTimeline(r, 1);
        assertTrue(mon.phases().get(0).meanNrRunning() >= 1.5, "four workers on two CPUs: " + mon.phases());
    }

    /**
     * Each phase spans its step as the result's timeline records it: from the step's start to the
     * end of its hold, which is just before the timeline's step-end event (the scheduler's
     * step-boundary check runs in between).
     */
    private static void assertPhasesOnTheTimeline(RunResult r, int steps) {
        List<MonitorSummary.Phase> phases = r.monitor().phases();
        assertEquals(steps, phases.size(), phases.toString());
        for (MonitorSummary.Phase p : phases) {
            long start = r.timeline().stream().filter(e -> e.step() == p.step() && "step-start".equals(e.kind()))
                    .mapToLong(StimulusEvent::elapsedMs).findFirst().orElseThrow();
            long end = r.timeline().stream().filter(e -> e.step() == p.step() && "step-end".equals(e.kind()))
                    .mapToLong(StimulusEvent::elapsedMs).findFirst().orElseThrow();
            assertTrue(Math.abs(p.startMs() - start) <= 2 && p.endMs() <= end + 2 && p.endMs() >= end - 500,
                    "phase " + p + " vs step " + p.step() + " on the timeline +" + start + "..+" + end + " ms");
        }
    }

    @Test
    void aKernelWithoutBtfRunsWithoutTheMonitorAndSaysWhy() throws Exception {
        EngineSelector.Choice engine = RunnerSupport.engine();
        assumeTrue(engine.found(), () -> "no VM engine: " + engine.reason());
        ResolvedKernel k;
        try {
            k = RunnerSupport.kernel();
        } catch (KernelException e) {
            assumeTrue(false, "no kernel: " + e.getMessage());
            return;
        }
        // The same kernel as if its vmlinux (and with it the BTF) were unknown: booted from the bzImage.
        ResolvedKernel noBtf = new ResolvedKernel(k.image(), Optional.empty(), k.config(), k.release(), k.cacheKey(),
                k.metadata(), k.origin());
        TestDeclaration d = TestDeclaration.of(Variant.base(Subject.class, "briefly"));
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        VariantExecution.Result r;
        System.setErr(new PrintStream(new Tee(err, captured), true, StandardCharsets.UTF_8));
        try {
            // Discovery matches the scheduler cache to the kernel's build, which needs the vmlinux.
            r = VariantExecution.run(d, ctx -> new Subject().briefly(ctx), 0, engine, noBtf,
                    SchedulerControls.forTest(d, k));
        } finally {
            System.setErr(err);
        }
        String line = "monitor disabled: no vmlinux for " + k.release() + " (its BTF is needed)";
        assertEquals(Outcome.Status.PASSED, r.outcome().status(), r.outcome() + "\n" + r.report());
        assertTrue(r.report().contains(line), r.report());
        assertEquals("disabled: no vmlinux for " + k.release() + " (its BTF is needed)", r.result().monitor().status());
        RunResult written = ResultFiles.mapper().readValue(r.file().toFile(), RunResult.class);
        assertEquals(r.result().monitor().status(), written.monitor().status());
        String stderr = captured.toString(StandardCharsets.UTF_8);
        assertTrue(stderr.contains("ktstr: " + line + "\n"), "stderr: " + stderr);
    }

    /** Writes to two streams. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int x) throws java.io.IOException {
            a.write(x);
            b.write(x);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws java.io.IOException {
            a.flush();
            b.flush();
        }
    }
}
