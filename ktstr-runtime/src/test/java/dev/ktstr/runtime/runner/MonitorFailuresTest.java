package dev.ktstr.runtime.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.runtime.result.MonitorSummary;
import dev.ktstr.runtime.result.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class MonitorFailuresTest {

    private static final MonitorSummary PILED = new MonitorSummary("ok", 60, 100, 6.0, 0, 0, 0, 12,
            List.of(new MonitorSummary.Phase(0, 1240, 4240, 1.0, 2.0, 0, 0, 10),
                    new MonitorSummary.Phase(1, 4300, 7300, 3.1, 6.0, 0, 0, 2)),
            List.of("imbalance: 6 > 4.0 (cpu 0 has 6 runnable tasks, cpu 1 has 0) for 26 consecutive samples"
                    + " (+4.8s..+7.3s)"),
            List.of("one emulation thread runs all 2 vCPUs (QEMU TCG): …"));

    @Test
    void violationsBecomeNamedFailures() {
        List<Outcome.Failure> f = MonitorFailures.of(PILED);
        assertEquals(1, f.size());
        assertEquals("Imbalance", f.get(0).kind());
        assertTrue(f.get(0).message().startsWith("monitor: imbalance: 6 > 4.0 (cpu 0 has 6"), f.get(0).message());
    }

    @Test
    void theReportSectionHasTheFiguresPhasesAndNotes() {
        String text = MonitorFailures.section(PILED);
        assertTrue(text.startsWith("--- monitor ---\nok: 60 samples every 100 ms, max imbalance 6.00 (sustained)"), text);
        assertTrue(text.contains("\nstep 1 +4300..+7300 ms: mean nr_running 3.10, max imbalance 6.00"), text);
        assertTrue(text.contains("\nnote: one emulation thread"), text);
    }
}
