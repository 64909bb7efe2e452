package dev.ktstr.runtime.scenario.engine;

import dev.ktstr.runtime.Ctx;
import dev.ktstr.runtime.Variant;
import dev.ktstr.runtime.agent.GuestAgent;
import dev.ktstr.runtime.checks.ScenarioMetrics;
import dev.ktstr.runtime.checks.Thresholds;
import dev.ktstr.runtime.result.CgroupStats;
import dev.ktstr.runtime.result.StimulusEvent;
import dev.ktstr.runtime.result.Outcome;
import dev.ktstr.runtime.scenario.Scenario;
import dev.ktstr.runtime.scenario.WorkTypeOverride;
import dev.ktstr.topology.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link Ctx} a runner gives a test body: runs scenarios through a {@link ScenarioEngine} on the
 * variant's agent and keeps every {@link ScenarioRun}, so the runner can turn them into one
 * {@link #outcome()}, the result file's cgroups ({@link #cgroupStats()}), metrics ({@link #metrics()})
 * and timeline ({@link #timeline()}), and the monitor's phases ({@link #stepSpans()}).
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
     * Every run's per-cgroup statistics; with more than one (non-skipped) run each name is prefixed
     * by its scenario's, e.g. {@code steady/cg_0}, so the result file's rows stay distinct.
     */
    public synchronized List<CgroupStats> cgroupStats() {
        List<ScenarioRun> ran = runs.stream().filter(r -> !r.cgroups().isEmpty()).toList();
        List<CgroupStats> out = new ArrayList<>();
        for (ScenarioRun r : ran) {
            for (CgroupStats c : r.cgroups()) {
                out.add(ran.size() == 1 ? c : renamed(c, r.scenario() + "/" + c.name()));
            }
        }
        return out;
    }

    /** The scenario metrics over {@link #cgroupStats()}. */
    public Map<String, Double> metrics() {
        return ScenarioMetrics.of(cgroupStats());
    }

    /** Every run's timeline, in order, with times counted from the first run's start. */
    public synchronized List<StimulusEvent> timeline() {
        List<StimulusEvent> out = new ArrayList<>();
        long base = firstStart();
        for (ScenarioRun r : runs) {
            long shift = (r.startNanos() - base) / 1_000_000;
            for (StimulusEvent e : r.timeline()) {
                out.add(new StimulusEvent(e.elapsedMs() + shift, e.step(), e.kind(), e.detail(), e.cumulativeIterations()));
            }
        }
        return out;
    }

    /** Every run's step boundaries, in order, with times counted from the first run's start (for monitor phases). */
    public synchronized List<StepSpan> stepSpans() {
        List<StepSpan> out = new ArrayList<>();
        long base = firstStart();
        int index = 0;
        for (ScenarioRun r : runs) {
            long shift = (r.startNanos() - base) / 1_000_000;
            for (StepSpan sp : r.steps()) {
                out.add(new StepSpan(index++, sp.startMs() + shift, sp.endMs() + shift));
            }
        }
        return out;
    }

    private long firstStart() {
        return runs.stream().filter(r -> r.status() != Outcome.Status.SKIPPED).mapToLong(ScenarioRun::startNanos)
                .findFirst().orElse(0);
    }

    private static CgroupStats renamed(CgroupStats c, String name) {
        return new CgroupStats(name, c.workers(), c.avgOffCpuPct(), c.minOffCpuPct(), c.maxOffCpuPct(), c.spreadPct(),
                c.maxGapMs(), c.maxGapCpu(), c.totalMigrations(), c.migrationRatio(), c.p99WakeLatencyUs(),
                c.medianWakeLatencyUs(), c.wakeLatencyCv(), c.totalIterations(), c.meanRunDelayUs(), c.worstRunDelayUs(),
                c.wakeLatencyTailRatio(), c.iterationsPerWorker(), c.pageLocality(), c.crossNodeMigrationRatio(),
                c.cpusUsed());
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
