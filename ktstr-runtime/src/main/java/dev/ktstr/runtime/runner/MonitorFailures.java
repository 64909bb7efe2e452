package dev.ktstr.runtime.runner;

import dev.ktstr.runtime.checks.FailureKind;
import dev.ktstr.runtime.checks.Thresholds;
import dev.ktstr.runtime.monitor.MonitorAttach;
import dev.ktstr.runtime.monitor.MonitorConfig;
import dev.ktstr.runtime.result.MonitorSummary;
import dev.ktstr.runtime.result.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The runner's side of the monitor: thresholds from the merged check layers, violations as named
 * failures, the report's monitor section, and the one
 * stderr line that says why a run had no monitor.
 */
final class MonitorFailures {

    /** Reasons already printed: one kernel without BTF would otherwise say so once per test. */
    private static final Set<String> ANNOUNCED = ConcurrentHashMap.newKeySet();

    private MonitorFailures() {}

    /** The monitor's configuration with the thresholds' monitor limits applied. */
    static MonitorConfig config(Thresholds t) {
        MonitorConfig c = MonitorConfig.defaults();
        if (t.maxImbalanceRatio() != null) {
            c = c.withMaxImbalanceRatio(t.maxImbalanceRatio());
        }
        if (t.maxLocalDsqDepth() != null) {
            c = c.withMaxLocalDsqDepth(t.maxLocalDsqDepth());
        }
        if (t.failOnStall() != null) {
            c = c.withFailOnStall(t.failOnStall());
        }
        if (t.sustainedSamples() != null) {
            c = c.withSustainedSamples(Math.toIntExact(t.sustainedSamples()));
        }
        if (t.maxFallbackRate() != null) {
            c = c.withMaxFallbackRate(t.maxFallbackRate());
        }
        if (t.maxKeepLastRate() != null) {
            c = c.withMaxKeepLastRate(t.maxKeepLastRate());
        }
        return c;
    }

    /** One failure per violation line, named by the check that produced it. */
    static List<Outcome.Failure> of(MonitorSummary s) {
        List<Outcome.Failure> out = new ArrayList<>();
        for (String v : s.violations()) {
            FailureKind k;
            if (v.startsWith("imbalance")) {
                k = FailureKind.IMBALANCE;
            } else if (v.startsWith("local DSQ depth")) {
                k = FailureKind.DSQ_DEPTH;
            } else if (v.startsWith("select_cpu fallback")) {
                k = FailureKind.FALLBACK_RATE;
            } else if (v.startsWith("dispatch keep-last")) {
                k = FailureKind.KEEP_LAST_RATE;
            } else {
                k = FailureKind.STALL;
            }
            out.add(k.failure("monitor: " + v));
        }
        return out;
    }

    /** The report's {@code --- monitor ---} block: verdict, figures, one line per phase, notes. */
    static String section(MonitorSummary s) {
        StringBuilder sb = new StringBuilder("--- monitor ---\n");
        sb.append(String.format(Locale.ROOT, "%s: %d samples every %d ms, max imbalance %.2f (sustained), max local "
                + "DSQ depth %d, %d stalls, fallback +%d, keep-last +%d%n", s.status(), s.samples(), s.periodMs(),
                s.maxImbalanceRatio(), s.maxLocalDsqDepth(), s.stallCount(), s.fallbackTotal(), s.keepLastTotal()));
        for (MonitorSummary.Phase p : s.phases()) {
            sb.append(String.format(Locale.ROOT, "step %d +%d..+%d ms: mean nr_running %.2f, max imbalance %.2f, max "
                    + "DSQ depth %d, fallback +%d, keep-last +%d%n", p.step(), p.startMs(), p.endMs(), p.meanNrRunning(),
                    p.maxImbalanceRatio(), p.maxLocalDsqDepth(), p.fallbackDelta(), p.keepLastDelta()));
        }
        for (String n : s.notes()) {
            sb.append("note: ").append(n).append('\n');
        }
        return sb.toString();
    }

    /** Prints {@code ktstr: monitor disabled: …} on stderr, once per distinct reason in this JVM. */
    static void announce(MonitorAttach.Disabled d) {
        if (ANNOUNCED.add(d.reason())) {
            System.err.println("ktstr: " + d.line());
        }
    }
}
