package dev.ktstr.runtime.cli.scenario;

import dev.ktstr.runtime.result.CgroupStats;
import dev.ktstr.runtime.result.Outcome;
import dev.ktstr.runtime.result.StimulusEvent;
import dev.ktstr.runtime.scenario.engine.ScenarioRun;
import dev.ktstr.runtime.scenario.engine.StepSpan;
import java.util.List;
import java.util.Map;

/**
 * What {@code ktstr run --json} prints (and the default recorder writes) for one run.
 *
 * @param scenario    the scenario's name
 * @param repetition  0-based repetition
 * @param where       the session's description
 * @param status      {@code PASSED}, {@code FAILED}, {@code SKIPPED} or {@code ERROR}
 * @param durationMs  wall time of the scenario
 * @param failures    named failures (the skip reason for a skip)
 * @param metrics     scenario metrics
 * @param cgroups     per-cgroup statistics
 * @param steps       step boundaries
 * @param timeline    the stimulus timeline
 */
public record ScenarioSummary(String scenario, int repetition, String where, String status, long durationMs,
        List<Outcome.Failure> failures, Map<String, Double> metrics, List<CgroupStats> cgroups, List<StepSpan> steps,
        List<StimulusEvent> timeline) {

    public static ScenarioSummary of(ScenarioRun run, int repetition, String where) {
        return new ScenarioSummary(run.scenario(), repetition, where, run.status().name(), run.durationMs(),
                run.failures(), run.metrics(), run.cgroups(), run.steps(), run.timeline());
    }
}
