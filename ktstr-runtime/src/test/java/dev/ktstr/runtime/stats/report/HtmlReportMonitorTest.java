package dev.ktstr.runtime.stats.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.runtime.result.MonitorSummary;
import dev.ktstr.runtime.result.RunResult;
import dev.ktstr.runtime.result.StimulusEvent;
import dev.ktstr.runtime.stats.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The monitor's row of a test's timeline: phases, violations on their span, and why it did not run. */
class HtmlReportMonitorTest {

    private static final List<StimulusEvent> TIMELINE = List.of(
            new StimulusEvent(0, 0, "step-start", "", 0), new StimulusEvent(3000, 0, "step-end", "", 9000),
            new StimulusEvent(3050, 1, "step-start", "", 9000), new StimulusEvent(6000, 1, "step-end", "", 15000));

    private static RunResult withMonitor(String test, MonitorSummary mon) {
        RunResult r = Fixtures.run(test, "7.3.4", 0, Map.of("total_iterations", 15000.0));
        return new RunResult(r.schemaVersion(), r.runId(), r.testName(), r.variant(), r.className(), r.preset(),
                r.topology(), r.scheduler(), r.schedulerBinary(), r.flags(), r.schedulerArgs(), r.schedulerActive(),
                r.workType(), r.kernel(), r.engine(), r.projectCommit(), r.repetition(), r.outcome(), r.cgroups(),
                r.metrics(), TIMELINE, mon, r.host(), r.startedAt(), r.durationMs());
    }

    private static String render(RunResult... runs) {
        return HtmlReport.render(new HtmlReport.Input("run", List.of(runs), List.of(), null, List.of(), List.of(),
                null));
    }

    @Test
    void phasesAndViolationsAreDrawnOnTheStepsTimeAxis() {
        MonitorSummary mon = new MonitorSummary("ok", 62, 100, 6.0, 0, 0, 0, 0,
                List.of(new MonitorSummary.Phase(0, 0, 3000, 1.0, 2.0, 0, 0, 0),
                        new MonitorSummary.Phase(1, 3050, 6000, 3.0, 6.0, 0, 0, 0)),
                List.of("imbalance: 6 > 4.0 (cpu 0 has 6 runnable tasks, cpu 1 has 0) for 30 consecutive samples"
                        + " (+3.1s..+6.0s)"), List.of());
        String page = render(withMonitor("piled", mon));
        assertEquals(2, count(page, "<g class=\"phase\">"), page);
        int v = page.indexOf("<g class=\"violation\">");
        assertTrue(v > 0, "a violation bar");
        String bar = page.substring(v, page.indexOf("</g>", v));
        assertTrue(bar.contains("<title>imbalance: 6 &gt; 4.0 (cpu 0 has 6 runnable tasks, cpu 1 has 0) for 30"),
                bar);
        assertTrue(bar.contains(">imbalance: 6 &gt; 4.0 (cpu 0 has 6 runnable tasks, cpu 1 has 0)</text>"), bar);
        // The bar starts where step 1's band and phase are drawn: 3.1 s of a 6 s axis.
        double x = Double.parseDouble(bar.replaceAll("(?s).*<rect x=\"([0-9.]+)\".*", "$1"));
        double phase1 = Double.parseDouble(page.replaceAll("(?s).*<g class=\"phase\">.*?<g class=\"phase\">.*?<rect "
                + "x=\"([0-9.]+)\".*", "$1"));
        assertTrue(x > phase1 && x - phase1 < 10, "violation at " + x + ", step 1's phase at " + phase1);
    }

    @Test
    void aMonitorThatDidNotRunSaysWhyInItsRow() {
        String page = render(withMonitor("nobtf", MonitorSummary.disabled("no vmlinux for 7.3.4 (its BTF is needed)",
                100)));
        assertTrue(page.contains("<text class=\"monnote\" x=\"70\" y=\"204\">monitor disabled: no vmlinux for 7.3.4 (its "
                + "BTF is needed)</text>"), page);
        assertEquals(0, count(page, "<g class=\"phase\">"));
    }

    private static int count(String s, String sub) {
        int n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + 1)) {
            n++;
        }
        return n;
    }
}
