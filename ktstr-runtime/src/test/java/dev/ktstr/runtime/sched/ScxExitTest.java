package dev.ktstr.runtime.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScxExitTest {

    /** As a 7.3.4 guest printed them (ktstr_fixture --stall-after 1 --timeout-ms 2000). */
    private static final List<String> STALL = List.of(
            "sched_ext: ktstr_fixture: watchdog timeout 2000ms <= rescue overload threshold 4096ms",
            "sched_ext: BPF scheduler \"ktstr_fixture\" enabled",
            "sched_ext: BPF scheduler \"ktstr_fixture\" disabled (runnable task stall)",
            "sched_ext: ktstr_fixture: scheduler[103] failed to run for 2.996s");

    @Test
    void readsTheKernelsReasonAndTheMessageAfterIt() {
        ScxExit e = ScxExit.fromKernel(STALL).orElseThrow();
        assertEquals("ktstr_fixture", e.scheduler());
        assertEquals("runnable task stall", e.reason());
        assertEquals("scheduler[103] failed to run for 2.996s", e.message());
        assertTrue(e.fromKernel());
        assertTrue(e.isError());
        assertEquals("runnable task stall: scheduler[103] failed to run for 2.996s", e.describe());
    }

    @Test
    void ignoresTheEnableTimeWarningAndOtherSchedulers() {
        assertTrue(ScxExit.fromKernel(STALL.subList(0, 2)).isEmpty());
        assertTrue(ScxExit.fromKernel(STALL, "simple").isEmpty());
        assertEquals("runnable task stall", ScxExit.fromKernel(STALL, "ktstr_fixture").orElseThrow().reason());
    }

    @Test
    void keepsTimestampsOutAndTakesTheLastRecord() {
        List<String> lines = List.of(
                "[    6.1] sched_ext: BPF scheduler \"simple\" disabled (unregistered from user space)",
                "[    9.0] sched_ext: BPF sub-scheduler \"simple\" disabled (scx_bpf_error)",
                "[    9.0] sched_ext: simple: simple.bpf.c:12: boom");
        ScxExit e = ScxExit.fromKernel(lines).orElseThrow();
        assertEquals("scx_bpf_error", e.reason());
        assertEquals("simple.bpf.c:12: boom", e.message());
    }

    @Test
    void orderlyReasonsAreNotErrorsButUnknownOnesAre() {
        for (String r : ScxExit.ORDERLY_REASONS) {
            assertFalse(new ScxExit("x", r, "", true).isError(), r);
        }
        for (String r : ScxExit.ERROR_REASONS) {
            assertTrue(new ScxExit("x", r, "", true).isError(), r);
        }
        assertTrue(new ScxExit("x", "something new", "", true).isError());
    }

    @Test
    void readsTheLoadersUeiReport() {
        String out = "enqueued=1 dispatched=1\nEXIT: runnable task stall (scheduler[103] failed to run for 2.996s)"
                + " on CPU 0\n";
        ScxExit e = ScxExit.fromLoader(out).orElseThrow();
        assertEquals("runnable task stall", e.reason());
        assertEquals("scheduler[103] failed to run for 2.996s", e.message());
        assertFalse(e.fromKernel());
        ScxExit bpf = ScxExit.fromLoader("EXIT: unregistered from BPF (ktstr_fixture: exiting (after) 500 ms)\n")
                .orElseThrow();
        assertEquals("unregistered from BPF", bpf.reason());
        assertEquals("ktstr_fixture: exiting (after) 500 ms", bpf.message());
        assertEquals("unregistered from user space",
                ScxExit.fromLoader("EXIT: unregistered from user space\n").orElseThrow().reason());
        assertTrue(ScxExit.fromLoader("no report\n").isEmpty());
    }

    @Test
    void theLoadersMessageCompletesAnOrderlyKernelRecord() {
        var kernel = ScxExit.fromKernel(List.of("sched_ext: BPF scheduler \"ktstr_fixture\" disabled (unregistered "
                + "from BPF)"));
        var loader = ScxExit.fromLoader("EXIT: unregistered from BPF (ktstr_fixture: exiting after 1000 ms)\n");
        ScxExit m = ScxExit.merge(kernel, loader).orElseThrow();
        assertEquals("unregistered from BPF", m.reason());
        assertEquals("ktstr_fixture: exiting after 1000 ms", m.message());
        assertTrue(m.fromKernel());
        assertEquals(loader, ScxExit.merge(java.util.Optional.empty(), loader));
        var other = ScxExit.fromLoader("EXIT: runnable task stall (x)\n");
        assertEquals("", ScxExit.merge(kernel, other).orElseThrow().message());
    }

    @Test
    void extractsTheDebugDump() {
        String rule = "=".repeat(80);
        String out = "x\n\nDEBUG DUMP\n" + rule + "\n\nktstr_fixture[103] triggered exit kind 1026:\n  runnable task "
                + "stall\n\n" + rule + "\n\nEXIT: runnable task stall\n";
        assertEquals("ktstr_fixture[103] triggered exit kind 1026:\n  runnable task stall", ScxExit.debugDump(out));
        assertEquals("", ScxExit.debugDump("EXIT: unregistered from user space\n"));
    }
}
