package dev.ktstr.runtime.runner;

import dev.ktstr.runtime.checks.FailureKind;
import dev.ktstr.runtime.checks.Thresholds;
import dev.ktstr.runtime.monitor.MonitorConfig;
import dev.ktstr.runtime.result.MonitorSummary;
import dev.ktstr.runtime.result.Outcome;
import java.util.ArrayList;
import java.util.List;

/** Monitor thresholds from the merged check layers, and monitor violations as named failures. */
final class MonitorFailures {

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
}
