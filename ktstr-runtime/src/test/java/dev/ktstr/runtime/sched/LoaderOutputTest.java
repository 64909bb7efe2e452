package dev.ktstr.runtime.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoaderOutputTest {

    @Test
    void extractsAndCollapsesTheVerifierLog() {
        List<String> out = new ArrayList<>(List.of("libbpf: loading object",
                "libbpf: prog 'bad': BPF program load failed: Permission denied",
                "libbpf: prog 'bad': -- BEGIN PROG LOAD LOG --", "0: R1=ctx() R10=fp0"));
        for (int i = 0; i < 10; i++) {
            out.add("3: (07) r1 += 1                  ; R1_w=" + i);
            out.add("4: (a5) if r1 < 0x10 goto pc-2   ; R1_w=" + i);
        }
        out.addAll(List.of("5: (79) r0 = *(u64 *)(r1 +0)", "R1 invalid mem access 'scalar'",
                "-- END PROG LOAD LOG --", "libbpf: failed to load object 'x'", "[SCX_BUG] x.c:1", "Failed to load skel"));
        String log = LoaderOutput.verifierLog(String.join("\n", out));
        List<String> lines = List.of(log.split("\n"));
        assertEquals("libbpf: prog 'bad': BPF program load failed: Permission denied", lines.get(0));
        assertTrue(lines.contains("... 8 identical iterations omitted (16 lines) ..."), log);
        assertEquals("-- END PROG LOAD LOG --", lines.get(lines.size() - 1));
        assertEquals(11, lines.size(), log);
        assertEquals("libbpf: prog 'bad': BPF program load failed: Permission denied",
                SchedulerSession.firstError(String.join("\n", out)));
    }

    @Test
    void noLogNoSection() {
        assertEquals("", LoaderOutput.verifierLog("Usage: scx_simple [-f]\n"));
        assertEquals("[SCX_BUG] scx_simple.c:87 (No such file)", SchedulerSession.firstError(
                "libbpf: something\n[SCX_BUG] scx_simple.c:87 (No such file)\n"));
    }

    @Test
    void reportKeepsTheTail() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            b.append("line ").append(i).append('\n');
        }
        List<String> lines = List.of(LoaderOutput.forReport(b.toString()).split("\n"));
        assertEquals(LoaderOutput.TAIL_LINES + 1, lines.size());
        assertEquals("... 300 earlier lines omitted ...", lines.get(0));
        assertEquals("line 499", lines.get(lines.size() - 1));
    }
}
