package dev.ktstr.runtime.sched.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.runtime.sched.SchedulerFailure;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerifierReportTest {

    private static final String PROGS = """
            {"id":9,"type":"struct_ops","name":"simple_select_cpu","tag":"57e61e65b2524d5b","verified_insns":34,"xlated_len":344}
            {"id":10,"type":"struct_ops","name":"simple_enqueue","tag":"00634e13d8dbb757","verified_insns":42,"xlated_len":304}
            """;

    @Test
    void parsesKtstrProgsOutput() {
        List<BpfProgram> p = BpfProgram.parse(PROGS);
        assertEquals(List.of(new BpfProgram(9, "struct_ops", "simple_select_cpu", 34, 344),
                new BpfProgram(10, "struct_ops", "simple_enqueue", 42, 304)), p);
        assertEquals(List.of(), BpfProgram.parse("\n"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BpfProgram.parse("oops"));
        assertEquals("not a ktstr_progs record: oops", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BpfProgram.parse("{\"id\":1}"));
    }

    @Test
    void tableHasARowPerProgramATotalAndFailuresWithTheirLog() {
        var ok = new VerifierReport.ProfileResult("default", List.of(), true, 500, BpfProgram.parse(PROGS), "", "");
        var bad = VerifierReport.ProfileResult.failed("fail-verify", List.of("--fail-verify"),
                new SchedulerFailure.AttachFailed("exited with code 1 before attaching", "out",
                        "libbpf: prog 'x': -- BEGIN PROG LOAD LOG --\nR6 invalid mem access 'scalar'"));
        VerifierReport r = new VerifierReport("ktstr_fixture", "/b/ktstr_fixture", "7.3.4", "qemu-tcg", 1,
                List.of(ok, bad));
        assertEquals(76, ok.totalVerifiedInsns());
        assertFalse(r.allLoaded());
        String t = r.table();
        assertTrue(t.contains("default      simple_select_cpu  struct_ops               34"), t);
        assertTrue(t.contains("default      (total)                                     76"), t);
        assertTrue(t.contains("fail-verify  failed to attach: exited with code 1 before attaching"), t);
        assertTrue(t.contains("--- fail-verify: --fail-verify ---\nlibbpf: prog 'x': -- BEGIN PROG LOAD LOG --\n"
                + "R6 invalid mem access 'scalar'"), t);
        assertTrue(new VerifierReport("s", "b", "k", "e", 1, List.of(ok)).allLoaded());
    }
}
