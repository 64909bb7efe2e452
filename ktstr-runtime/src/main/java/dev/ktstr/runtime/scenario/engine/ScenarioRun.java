package dev.ktstr.runtime.scenario.engine;

import dev.ktstr.runtime.checks.CgroupSample;
import dev.ktstr.runtime.checks.FailureKind;
import dev.ktstr.runtime.checks.StatsBlock;
import dev.ktstr.runtime.checks.Thresholds;
import dev.ktstr.runtime.result.CgroupStats;
import dev.ktstr.runtime.result.Outcome;
import dev.ktstr.runtime.result.StimulusEvent;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one execution of a scenario produced: its outcome with named failures, the collected
 * worker samples and their statistics, the scenario metrics, the stimulus timeline, when each step
 * ran, and payload results.
 *
 * @param scenario      the scenario's name
 * @param status        passed, failed (a check or the scheduler), skipped (topology), or error (harness)
 * @param failures      named reasons, scheduler and engine failures first, then check failures
 * @param skipReason    why it was skipped, else {@code null}
 * @param thresholds    the merged thresholds the checks used
 * @param steps         when each executed step ran
 * @param timeline      what happened when
 * @param samples       every cgroup's workers as collected (per step for step-local ones)
 * @param cgroups       statistics per sample, named {@code cgroup} or {@code cgroup@phase} when a name repeats
 * @param metrics       scenario-level metrics by registry name
 * @param payloads      how payloads ended
 * @param startNanos    the engine clock's time when the scenario started
 * @param durationMs    from start to the end of cleanup
 */
public record ScenarioRun(
        String scenario,
        Outcome.Status status,
        List<Outcome.Failure> failures,
        String skipReason,
        Thresholds thresholds,
        List<StepSpan> steps,
        List<StimulusEvent> timeline,
        List<CgroupSample> samples,
        List<CgroupStats> cgroups,
        Map<String, Double> metrics,
        List<PayloadResult> payloads,
        long startNanos,
        long durationMs) {

    public ScenarioRun {
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(status, "status");
        failures = List.copyOf(failures);
        steps = List.copyOf(steps);
        timeline = List.copyOf(timeline);
        samples = List.copyOf(samples);
        cgroups = List.copyOf(cgroups);
        metrics = Map.copyOf(metrics);
        payloads = List.copyOf(payloads);
    }

    /** A run that never touched the guest: skipped with a reason. */
    public static ScenarioRun skipped(String scenario, String reason, Thresholds thresholds) {
        return new ScenarioRun(scenario, Outcome.Status.SKIPPED, List.of(new Outcome.Failure("Skipped", reason)),
                reason, thresholds, List.of(), List.of(), List.of(), List.of(), Map.of(), List.of(), 0, 0);
    }

    /** The status implied by a list of failures. */
    static Outcome.Status statusOf(List<Outcome.Failure> failures) {
        if (failures.stream().anyMatch(f -> FailureKind.isHarnessError(f.kind()))) {
            return Outcome.Status.ERROR;
        }
        return failures.isEmpty() ? Outcome.Status.PASSED : Outcome.Status.FAILED;
    }

    public boolean passed() {
        return status == Outcome.Status.PASSED;
    }

    /** The outcome for a result file. */
    public Outcome outcome() {
        return new Outcome(status, failures);
    }

    /** The {@code --- stats ---} block. */
    public String statsBlock() {
        return StatsBlock.format(cgroups, metrics);
    }

    /** A human report: the status line, one line per failure, then the stats block. */
    public String report() {
        StringBuilder sb = new StringBuilder();
        sb.append("scenario '").append(scenario).append("' ").append(status.name().toLowerCase(java.util.Locale.ROOT));
        if (skipReason != null) {
            sb.append(": ").append(skipReason);
        }
        sb.append('\n');
        if (skipReason == null) {
            for (Outcome.Failure f : failures) {
                sb.append("  ").append(f.message()).append('\n');
            }
            sb.append(statsBlock());
        }
        return sb.toString();
    }
}
