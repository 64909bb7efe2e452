package dev.ktstr.runtime.scenario.engine;

import dev.ktstr.runtime.Ctx;
import dev.ktstr.runtime.Variant;
import dev.ktstr.runtime.agent.GuestAgent;
import dev.ktstr.runtime.checks.Thresholds;
import dev.ktstr.runtime.result.Outcome;
import dev.ktstr.runtime.scenario.Scenario;
import dev.ktstr.runtime.scenario.WorkTypeOverride;
import dev.ktstr.topology.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link Ctx} a runner gives a test body: runs scenarios through a {@link ScenarioEngine} on the
 * variant's agent and keeps every {@link ScenarioRun}, so the runner can turn them into one
 * {@link #outcome()}, the result file's cgroups, metrics and timeline.
 */
public final class ScenarioCtx implements Ctx {

    private final Variant variant;
    private final Topology topology;
    private final Duration duration;
    private final int workersPerCgroup;
    private final WorkTypeOverride override;
    private final GuestAgent agent;
    private final ScenarioEngine engine;
    private final List<ScenarioRun> runs = new ArrayList<>();

    /**
     * @param variant           the variant being run
     * @param topology          the VM's topology
     * @param duration          {@code durationS}
     * @param workersPerCgroup  {@code workersPerCgroup}
     * @param override          the gauntlet's work-type override, or {@code null}
     * @param agent             the variant's guest agent
     * @param options           engine options (clock, scheduler watch, threshold layers, …)
     */
    public ScenarioCtx(Variant variant, Topology topology, Duration duration, int workersPerCgroup,
            WorkTypeOverride override, GuestAgent agent, EngineOptions options) {
        this.variant = Objects.requireNonNull(variant, "variant");
        this.topology = Objects.requireNonNull(topology, "topology");
        this.duration = Objects.requireNonNull(duration, "duration");
        if (workersPerCgroup < 1) {
            throw new IllegalArgumentException("workersPerCgroup must be at least 1, got " + workersPerCgroup);
        }
        this.workersPerCgroup = workersPerCgroup;
        this.override = override;
        this.agent = Objects.requireNonNull(agent, "agent");
        this.engine = new ScenarioEngine(agent, options);
    }

    @Override
    public Topology topology() {
        return topology;
    }

    @Override
    public Duration duration() {
        return duration;
    }

    @Override
    public int workersPerCgroup() {
        return workersPerCgroup;
    }

    @Override
    public Optional<WorkTypeOverride> workTypeOverride() {
        return Optional.ofNullable(override);
    }

    @Override
    public Variant variant() {
        return variant;
    }

    @Override
    public Thresholds thresholds() {
        EngineOptions o = engine.options();
        return Thresholds.effective(null, o.schedulerChecks(), o.testChecks());
    }

    @Override
    public GuestAgent agent() {
        return agent;
    }

    @Override
    public synchronized ScenarioRun run(Scenario scenario) {
        ScenarioRun r = engine.run(scenario, this);
        runs.add(r);
        return r;
    }

    @Override
    public synchronized List<ScenarioRun> runs() {
        return List.copyOf(runs);
    }

    /**
     * The test's outcome from its runs: harness errors make it ERROR, any other failure FAILED; all
     * runs skipped (and at least one) SKIPPED with their reasons; no failures PASSED.
     */
    public synchronized Outcome outcome() {
        if (!runs.isEmpty() && runs.stream().allMatch(r -> r.status() == Outcome.Status.SKIPPED)) {
            return new Outcome(Outcome.Status.SKIPPED, runs.stream().flatMap(r -> r.failures().stream()).toList());
        }
        List<Outcome.Failure> failures = runs.stream().filter(r -> r.status() != Outcome.Status.SKIPPED)
                .flatMap(r -> r.failures().stream()).toList();
        return new Outcome(ScenarioRun.statusOf(failures), failures);
    }
}
