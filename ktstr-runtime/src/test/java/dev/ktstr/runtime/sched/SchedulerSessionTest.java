package dev.ktstr.runtime.sched;

import static dev.ktstr.runtime.sched.FakeSchedulerAgent.bytes;
import static dev.ktstr.runtime.sched.FakeSchedulerAgent.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.annotations.ExpectedFailure;
import dev.ktstr.runtime.agent.AgentEvent;
import dev.ktstr.runtime.agent.SchedulerStart;
import dev.ktstr.runtime.agent.SchedulerStop;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The session's classification of what the agent reports, with a scripted agent. */
class SchedulerSessionTest {

    private static final String DISABLED_STALL = "sched_ext: BPF scheduler \"simple\" disabled (runnable task stall)";
    private static final String STALL_MSG = "sched_ext: simple: kworker/1:0[33] failed to run for 4.512s";

    private static SchedulerLaunch launch(Optional<Duration> watchdog) {
        SchedulerDefinition def = SchedulerDefinition.forBinary("simple", "scx_simple", List.of());
        var found = new SchedulerCatalog.Found(Path.of("/x/scx_simple"), SchedulerCatalog.Origin.CACHE,
                BuildableScheduler.byBinary("scx_simple"));
        return SchedulerLaunch.plan(def, found, List.of("-f"), List.of(), watchdog);
    }

    private static FakeSchedulerAgent attached() {
        FakeSchedulerAgent a = new FakeSchedulerAgent();
        a.start = new SchedulerStart(true, state(true, "enabled", "simple"), bytes("local=0 global=0\n"));
        a.status = state(true, "enabled", "simple");
        a.stop = new SchedulerStop(0, 0, true, bytes("local=5 global=9\nEXIT: unregistered from user space\n"));
        return a;
    }

    @Test
    void aCleanRunHasNoFailure() throws Exception {
        FakeSchedulerAgent a = attached();
        SchedulerSession s = SchedulerSession.start(a, launch(Optional.empty()), Optional.empty());
        assertTrue(s.attached());
        assertTrue(s.check().isEmpty());
        SchedulerSession.Report r = s.stop();
        assertTrue(r.failure().isEmpty());
        assertTrue(r.detached());
        assertTrue(r.output().contains("EXIT: unregistered from user space"));
        assertEquals(List.of("start /scheduler -f", "status", "status", "stop"), a.calls);
        assertTrue(r.notes().get(0).startsWith("attached as 'simple' in "), r.notes().toString());
        assertEquals(r, s.stop(), "stop is idempotent");
    }

    @Test
    void anEjectionWhileTheLoaderRunsIsNamedAndCompletedAtStop() throws Exception {
        FakeSchedulerAgent a = attached();
        SchedulerSession s = SchedulerSession.start(a, launch(Optional.empty()), Optional.empty());
        a.emit(new AgentEvent.KernelMessage(DISABLED_STALL));
        a.emitLater(100, new AgentEvent.KernelMessage(STALL_MSG));
        SchedulerFailure f = s.check().orElseThrow();
        SchedulerFailure.Ejected e = assertInstanceOf(SchedulerFailure.Ejected.class, f);
        assertEquals("ejected by the kernel: runnable task stall: kworker/1:0[33] failed to run for 4.512s",
                e.summary());
        assertEquals(ExpectedFailure.SCHEDULER_EJECTED, e.expected());
        String rule = "=".repeat(80);
        a.stop = new SchedulerStop(0, 0, true, bytes("\nDEBUG DUMP\n" + rule + "\n\nrunqueue dump\n\n" + rule
                + "\n\nEXIT: runnable task stall (kworker/1:0[33] failed to run for 4.512s)\n"));
        SchedulerSession.Report r = s.stop();
        SchedulerFailure.Ejected done = assertInstanceOf(SchedulerFailure.Ejected.class, r.failure().orElseThrow());
        assertEquals("runqueue dump", done.dump());
        assertTrue(done.evidence().contains("--- sched_ext debug dump ---\nrunqueue dump"), done.evidence());
        assertEquals(List.of(DISABLED_STALL, STALL_MSG), r.kernelLines());
    }

    @Test
    void anExitWithAnErrorReportIsAnEjectionEvenWhenTheKernelLineComesLate() throws Exception {
        FakeSchedulerAgent a = attached();
        SchedulerSession s = SchedulerSession.start(a, launch(Optional.empty()), Optional.empty());
        a.emit(new AgentEvent.SchedulerExited(42, 0, 0, "disabled", bytes("EXIT: scx_bpf_error (boom)\n")));
        a.emitLater(150, new AgentEvent.KernelMessage("sched_ext: BPF scheduler \"simple\" disabled (scx_bpf_error)"),
                new AgentEvent.KernelMessage("sched_ext: simple: boom"));
        SchedulerFailure.Ejected e = assertInstanceOf(SchedulerFailure.Ejected.class,
                s.awaitFailure(Duration.ofSeconds(5)).orElseThrow());
        assertEquals("scx_bpf_error", e.exit().reason());
        assertEquals("boom", e.exit().message());
    }

    @Test
    void anExitWithoutAKernelErrorIsAnExitWithItsCode() throws Exception {
        FakeSchedulerAgent a = attached();
        SchedulerSession s = SchedulerSession.start(a, launch(Optional.empty()), Optional.empty());
        a.emit(new AgentEvent.KernelMessage("sched_ext: BPF scheduler \"simple\" disabled (unregistered from BPF)"));
        a.emit(new AgentEvent.SchedulerExited(42, 3, 0, "disabled", bytes("EXIT: unregistered from BPF (bye)\n")));
        SchedulerFailure.Exited x = assertInstanceOf(SchedulerFailure.Exited.class, s.check().orElseThrow());
        assertEquals("exited (exit code 3): unregistered from BPF: bye", x.summary());
        assertEquals("SchedulerExited", x.toOutcome().kind());
    }

    @Test
    void troubleIsSignalledTheMomentItArrives() throws Exception {
        FakeSchedulerAgent a = attached();
        SchedulerSession s = SchedulerSession.start(a, launch(Optional.empty()), Optional.empty());
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        s.onTrouble(calls::incrementAndGet);
        a.emit(new AgentEvent.KernelMessage("sched_ext: simple: watchdog timeout 2000ms <= rescue overload"));
        assertEquals(0, calls.get(), "an informational line is no trouble");
        a.emit(new AgentEvent.KernelMessage(DISABLED_STALL));
        assertEquals(1, calls.get());
        a.emit(new AgentEvent.SchedulerExited(42, 0, 0, "disabled", bytes("")));
        assertEquals(2, calls.get());
        s.stop();
        a.emit(new AgentEvent.SchedulerExited(43, 0, 0, "disabled", bytes("")));
        assertEquals(2, calls.get(), "nothing after the stop");
    }

    @Test
    void aCrashIsAnExitBySignal() throws Exception {
        FakeSchedulerAgent a = attached();
        SchedulerSession s = SchedulerSession.start(a, launch(Optional.empty()), Optional.empty());
        a.emit(new AgentEvent.SchedulerExited(42, -1, 11, "disabled", bytes("")));
        assertEquals("exited (killed by signal 11)", s.check().orElseThrow().summary());
    }

    @Test
    void aMissedExitEventIsFoundByTheStatusCheck() throws Exception {
        FakeSchedulerAgent a = attached();
        SchedulerSession s = SchedulerSession.start(a, launch(Optional.empty()), Optional.empty());
        a.status = new dev.ktstr.runtime.agent.SchedulerState(42, false, 1, 0, "disabled", "");
        SchedulerFailure.Exited x = assertInstanceOf(SchedulerFailure.Exited.class, s.check().orElseThrow());
        assertEquals(1, x.exitCode());
    }

    @Test
    void anAttachFailureCarriesTheCollapsedVerifierLog() throws Exception {
        FakeSchedulerAgent a = new FakeSchedulerAgent();
        StringBuilder out = new StringBuilder("libbpf: prog 'simple_enqueue': BPF program load failed: -EACCES\n"
                + "libbpf: prog 'simple_enqueue': -- BEGIN PROG LOAD LOG --\n");
        for (int i = 0; i < 20; i++) {
            out.append("3: (07) r1 += 1   ; R1_w=").append(i).append('\n');
        }
        out.append("R1 invalid mem access 'scalar'\n-- END PROG LOAD LOG --\n[SCX_BUG] scx_simple.c:98\n");
        a.start = new SchedulerStart(false, new dev.ktstr.runtime.agent.SchedulerState(42, false, 1, 0, "disabled",
                ""), bytes(out.toString()));
        SchedulerSession s = SchedulerSession.start(a, launch(Optional.empty()), Optional.empty());
        assertFalse(s.attached());
        SchedulerFailure.AttachFailed f = assertInstanceOf(SchedulerFailure.AttachFailed.class,
                s.attachFailure().orElseThrow());
        assertEquals("failed to attach: exited with code 1 before attaching: libbpf: prog 'simple_enqueue': BPF "
                + "program load failed: -EACCES", f.summary());
        assertTrue(f.verifierLog().contains("... 18 identical iterations omitted (18 lines) ..."), f.verifierLog());
        assertEquals(List.of("start /scheduler -f"), a.calls, "a dead loader is not stopped");
        assertEquals(f, s.stop().failure().orElseThrow());
    }

    @Test
    void aLoaderThatNeverAttachesIsStoppedAndNamed() throws Exception {
        FakeSchedulerAgent a = new FakeSchedulerAgent();
        a.start = new SchedulerStart(false, state(true, "disabled", ""), bytes("loading\n"));
        a.stop = new SchedulerStop(-1, 9, true, bytes("loading\nstill loading\n"));
        SchedulerSession s = SchedulerSession.start(a, launch(Optional.empty()).withAttachTimeout(
                Duration.ofSeconds(7)), Optional.empty());
        assertEquals("failed to attach: not enabled within 7 s (sched_ext state 'disabled')",
                s.attachFailure().orElseThrow().summary());
        assertEquals(List.of("start /scheduler -f", "stop"), a.calls);
    }

    @Test
    void anotherOpsNameIsAnAttachFailure() throws Exception {
        FakeSchedulerAgent a = new FakeSchedulerAgent();
        a.start = new SchedulerStart(false, state(true, "enabled", "other"), bytes(""));
        a.stop = new SchedulerStop(0, 0, true, bytes(""));
        SchedulerSession s = SchedulerSession.start(a, launch(Optional.empty()), Optional.empty());
        assertEquals("failed to attach: sched_ext runs ops 'other', expected 'simple'",
                s.attachFailure().orElseThrow().summary());
    }

    @Test
    void aStopThatLeavesSchedExtEnabledIsADetachFailure() throws Exception {
        FakeSchedulerAgent a = attached();
        SchedulerSession s = SchedulerSession.start(a, launch(Optional.empty()), Optional.empty());
        a.stop = new SchedulerStop(-1, 9, false, bytes(""));
        SchedulerFailure f = s.stop().failure().orElseThrow();
        assertInstanceOf(SchedulerFailure.DetachFailed.class, f);
        assertEquals("did not detach: sched_ext state is 'enabled' after the scheduler was stopped", f.summary());
    }

    @Test
    void theWatchdogIsWrittenByTheHostWhenTheSchedulerHasNoOption() throws Exception {
        FakeSchedulerAgent a = attached();
        SchedulerSession s = SchedulerSession.start(a, launch(Optional.of(Duration.ofSeconds(3))),
                Optional.of(t -> "scx_root->watchdog_timeout = " + t.toMillis() / 4 + " jiffies"));
        assertTrue(s.stop().notes().contains("watchdog timeout 3000 ms written by the host: "
                + "scx_root->watchdog_timeout = 750 jiffies"));

        FakeSchedulerAgent b = attached();
        SchedulerSession none = SchedulerSession.start(b, launch(Optional.of(Duration.ofSeconds(3))),
                Optional.empty());
        assertTrue(none.stop().notes().stream().anyMatch(n -> n.startsWith("watchdog timeout 3000 ms NOT applied")));

        FakeSchedulerAgent c = attached();
        SchedulerSession failing = SchedulerSession.start(c, launch(Optional.of(Duration.ofSeconds(3))),
                Optional.of(t -> {
                    throw new IllegalStateException("no guest memory");
                }));
        assertTrue(failing.stop().notes().contains("watchdog timeout 3000 ms NOT applied: no guest memory"));
    }
}
