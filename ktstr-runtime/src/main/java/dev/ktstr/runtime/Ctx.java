package dev.ktstr.runtime;

import dev.ktstr.runtime.agent.GuestAgent;
import dev.ktstr.runtime.checks.Thresholds;
import dev.ktstr.runtime.scenario.Backdrop;
import dev.ktstr.runtime.scenario.CgroupDef;
import dev.ktstr.runtime.scenario.HoldSpec;
import dev.ktstr.runtime.scenario.Scenario;
import dev.ktstr.runtime.scenario.ScenarioEnv;
import dev.ktstr.runtime.scenario.Step;
import dev.ktstr.runtime.scenario.engine.ScenarioRun;
import dev.ktstr.topology.Topology;
import java.time.Duration;
import java.util.List;

/**
 * What a {@code @KtstrTest} body works with: the VM's topology, the scenario duration and default
 * worker count, the merged check thresholds, and the means to run scenarios against the guest. The
 * body runs on the host; each scenario step becomes requests to the agent in the guest.
 *
 * <pre>{@code
 * @KtstrTest(scheduler = QmapFlag.class, minLlcs = 2)
 * void mixedLoadStaysFair(Ctx ctx) {
 *     ctx.run(Scenarios.mixedWorkloads());
 *     ctx.run(Step.withDefs(HoldSpec.FULL, CgroupDef.named("cg_0").workers(4),
 *                                          CgroupDef.named("cg_1").workType(WorkType.YIELD_HEAVY)));
 * }
 * }</pre>
 *
 * <p>Every run's failures count toward the test's outcome (the runner collects them); a body may
 * also inspect the returned {@link ScenarioRun}. The runs never throw for check or agent failures.
 */
public interface Ctx extends ScenarioEnv {

    /** The exact topology of the VM this variant runs on. */
    @Override
    Topology topology();

    /** The scenario duration ({@code durationS}). */
    @Override
    Duration duration();

    /** Workers per cgroup when a scenario does not say ({@code workersPerCgroup}). */
    @Override
    int workersPerCgroup();

    /** The variant being run. */
    Variant variant();

    /** The thresholds in force: defaults, then the scheduler's, then the test's (a scenario may add its own layer). */
    Thresholds thresholds();

    /** The guest agent, for custom operations between or instead of scenarios (e.g. reading a file). */
    GuestAgent agent();

    /** Validates, executes and checks a scenario. */
    ScenarioRun run(Scenario scenario);

    /** Steps without a backdrop, as one scenario named after the test method. */
    default ScenarioRun run(Step... steps) {
        return runSteps(Backdrop.EMPTY, List.of(steps));
    }

    /** Steps over a backdrop, as one scenario named after the test method. */
    default ScenarioRun runSteps(Backdrop backdrop, List<Step> steps) {
        return run(Scenario.of(variant().method(), "steps of " + variant().id(), steps).withBackdrop(backdrop));
    }

    /** Cgroups that run for the whole duration (ktstr {@code execute_defs}). */
    default ScenarioRun runDefs(CgroupDef... defs) {
        return run(Step.withDefs(HoldSpec.FULL, defs));
    }

    /** Every run so far, in order. */
    List<ScenarioRun> runs();
}
