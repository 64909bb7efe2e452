package dev.ktstr.runtime.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CycleCollapseTest {

    /** A verifier-style loop body: same instructions, different register state each iteration. */
    private static List<String> iteration(int i) {
        return List.of(
                "5: (85) call bpf_get_prandom_u32#7       ; R0_w=scalar()",
                "6: (57) r0 &= 7                          ; R0_w=scalar(smin=0,smax=7)",
                "7: (0f) r6 += r0                         ; R6_w=scalar(id=" + i + ")",
                "8: (07) r7 += 1                          ; R7_w=" + (i + 1),
                "9: (a6) if w7 < 0x10 goto pc-5           ; R7_w=" + (i + 1),
                "from 9 to 5: R0_w=scalar(smin=0,smax=7) R6_w=scalar(id=" + i + ") R7_w=" + (i + 1) + " R10=fp0");
    }

    @Test
    void foldsAVerifierLoopIntoFirstMarkerLast() {
        List<String> log = new ArrayList<>();
        log.add("0: R1=ctx() R10=fp0");
        log.add("0: (b7) r6 = 0                         ; R6_w=0");
        for (int i = 0; i < 16; i++) {
            log.addAll(iteration(i));
        }
        log.add("10: (79) r0 = *(u64 *)(r6 +0)");
        log.add("R6 invalid mem access 'scalar'");

        CycleCollapse.Result r = CycleCollapse.collapse(log);

        assertEquals(1, r.foldedRuns());
        assertEquals(14 * 6, r.omittedLines());
        List<String> expected = new ArrayList<>();
        expected.add(log.get(0));
        expected.add(log.get(1));
        expected.addAll(iteration(0));
        expected.add("... 14 identical iterations omitted (84 lines) ...");
        expected.addAll(iteration(15));
        expected.add("10: (79) r0 = *(u64 *)(r6 +0)");
        expected.add("R6 invalid mem access 'scalar'");
        assertEquals(expected, r.lines());
    }

    @Test
    void keepsTwoRepetitionsBecauseFoldingThemSavesNothing() {
        List<String> log = List.of("a", "b", "a", "b", "c");
        assertEquals(log, CycleCollapse.collapse(log).lines());
    }

    @Test
    void foldsIdenticalLinesWithPeriodOne() {
        List<String> log = List.of("start", "x", "x", "x", "x", "x", "end");
        assertEquals(List.of("start", "x", "... 3 identical iterations omitted (3 lines) ...", "x", "end"),
                CycleCollapse.collapse(log).lines());
    }

    @Test
    void prefersTheBlockThatCoversMostLines() {
        // "a a b" repeated: period 1 would only fold the "a a" pairs; period 3 folds the whole run.
        List<String> log = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            log.addAll(List.of("a", "a", "b"));
        }
        CycleCollapse.Result r = CycleCollapse.collapse(log);
        assertEquals(List.of("a", "a", "b", "... 3 identical iterations omitted (9 lines) ...", "a", "a", "b"),
                r.lines());
    }

    @Test
    void foldsSeveralSeparateRuns() {
        List<String> log = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            log.add("p");
        }
        log.add("mid");
        for (int i = 0; i < 3; i++) {
            log.addAll(List.of("q1", "q2"));
        }
        CycleCollapse.Result r = CycleCollapse.collapse(log);
        assertEquals(2, r.foldedRuns());
        assertEquals(List.of("p", "... 2 identical iterations omitted (2 lines) ...", "p", "mid", "q1", "q2",
                "... 1 identical iteration omitted (2 lines) ...", "q1", "q2"), r.lines());
    }

    @Test
    void leavesLogsWithoutRepetitionAlone() {
        List<String> log = List.of("libbpf: prog 'x': BPF program load failed: Permission denied", "0: (b7) r0 = 0",
                "1: (95) exit", "R0 !read_ok");
        CycleCollapse.Result r = CycleCollapse.collapse(log);
        assertEquals(log, r.lines());
        assertEquals(0, r.foldedRuns());
    }

    @Test
    void normalisationDropsOnlyRegisterState() {
        assertEquals("7: (0f) r6 += r0", CycleCollapse.normalise("7: (0f) r6 += r0          ; R6_w=scalar(id=3)"));
        assertEquals("from 9 to 5:", CycleCollapse.normalise("from 9 to 5: R7_w=4 R10=fp0"));
        assertEquals("12: <state>", CycleCollapse.normalise("12: R0=scalar() R1=ctx()"));
        assertEquals("; for (i = 0; i < 16; i++) @ x.bpf.c:12",
                CycleCollapse.normalise("; for (i = 0; i < 16; i++) @ x.bpf.c:12"));
        assertEquals("plain text ; not verifier", CycleCollapse.normalise("plain text ; not verifier"));
    }

    @Test
    void handlesHugeLogsQuickly() {
        List<String> log = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            log.addAll(iteration(i));
        }
        long t0 = System.nanoTime();
        CycleCollapse.Result r = CycleCollapse.collapse(log);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(13, r.lines().size());
        assertTrue(ms < 10_000, "120k lines took " + ms + " ms");
    }

    @Test
    void collapsesText() {
        assertEquals("x\n... 2 identical iterations omitted (2 lines) ...\nx",
                CycleCollapse.collapse("x\nx\nx\nx").text());
        assertEquals(List.of(), CycleCollapse.collapse("").lines());
    }
}
