package dev.ktstr.runtime.scenario.engine;

import dev.ktstr.runtime.agent.AgentException;
import dev.ktstr.runtime.agent.GuestAgent;
import dev.ktstr.runtime.agent.ProcessExit;
import dev.ktstr.runtime.agent.WorkerGroupSpec;
import dev.ktstr.runtime.checks.CgroupSample;
import dev.ktstr.runtime.checks.CgroupStatistics;
import dev.ktstr.runtime.checks.CheckSuite;
import dev.ktstr.runtime.checks.FailureKind;
import dev.ktstr.runtime.checks.GroupSample;
import dev.ktstr.runtime.checks.ScenarioMetrics;
import dev.ktstr.runtime.checks.Thresholds;
import dev.ktstr.runtime.measure.LatencyHistogram;
import dev.ktstr.runtime.measure.WorkerReport;
import dev.ktstr.runtime.result.CgroupStats;
import dev.ktstr.runtime.result.Outcome;
import dev.ktstr.runtime.result.StimulusEvent;
import dev.ktstr.runtime.scenario.CgroupDef;
import dev.ktstr.runtime.scenario.CgroupModel;
import dev.ktstr.runtime.scenario.CpusetSpec;
import dev.ktstr.runtime.scenario.HoldSpec;
import dev.ktstr.runtime.scenario.Op;
import dev.ktstr.runtime.scenario.Scenario;
import dev.ktstr.runtime.scenario.ScenarioEnv;
import dev.ktstr.runtime.scenario.ScenarioValidator;
import dev.ktstr.runtime.scenario.Step;
import dev.ktstr.runtime.scenario.Work;
import dev.ktstr.runtime.scenario.WorkType;
import dev.ktstr.runtime.scenario.WorkerSpecs;
import dev.ktstr.topology.CpuSet;
import dev.ktstr.topology.Topology;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs scenarios against one {@link GuestAgent} (ktstr facts §7 execution order): validate (bad
 * input never reaches the guest), set up the {@link dev.ktstr.runtime.scenario.Backdrop} (ops, then
 * cgroups), then per step: check scheduler liveness (from the second step on), apply the ops, set up
 * the step's cgroups (workers are spawned into their cgroups blocked, then released together), hold
 * ({@link HoldSpec.Loop}: setup first, ops now and every interval), then stop the step's workers,
 * collect their reports and remove what the step created. At the end the Backdrop's workers are
 * collected and everything left is removed — also after a failure. Every op and boundary lands on
 * the stimulus timeline with the cumulative iteration count.
 *
 * <p>Failures become named results: an agent error ends the scenario ({@code AgentFailed}), a dead
 * or silent worker is a {@code WorkerDied} failure (the agent's stop deadline bounds the wait), a
 * dead scheduler ends it early, and the checks judge what was collected. One engine per agent: it
 * numbers worker groups for that agent.
 */
public final class ScenarioEngine {

    /** How host workers ({@link Op.SpawnHost}) are named in samples and statistics. */
    public static final String HOST_LABEL = "(host)";

    private static final Duration KILL_WAIT = Duration.ofSeconds(5);
    /** The guest's errno for "no such process": a payload that already exited cannot be signalled. */
    private static final int ESRCH = 3;
    private static final int PAYLOAD_OUTPUT_TAIL = 4096;

    private final GuestAgent agent;
    private final EngineOptions options;
    private final AtomicInteger groupIds = new AtomicInteger(1);

    public ScenarioEngine(GuestAgent agent, EngineOptions options) {
        this.agent = agent;
        this.options = options;
    }

    public EngineOptions options() {
        return options;
    }

    /** Runs {@code scenario} in {@code env}; never throws for scenario, agent or check failures. */
    public ScenarioRun run(Scenario scenario, ScenarioEnv env) {
        Thresholds thresholds = Thresholds.effective(scenario.checks(), options.schedulerChecks(), options.testChecks());
        Optional<String> skip = scenario.skipReason(env.topology());
        if (skip.isPresent()) {
            return ScenarioRun.skipped(scenario.name(), skip.get() + " (topology " + env.topology() + ")", thresholds);
        }
        List<String> problems = ScenarioValidator.problems(scenario, env);
        if (!problems.isEmpty()) {
            List<Outcome.Failure> failures = problems.stream().map(p -> FailureKind.INVALID_SCENARIO
                    .failure("InvalidScenario: scenario '" + scenario.name() + "': " + p)).toList();
            return new ScenarioRun(scenario.name(), Outcome.Status.ERROR, failures, null, thresholds, List.of(),
                    List.of(), List.of(), List.of(), Map.of(), List.of(), options.clock().nanoTime(), 0);
        }
        return new Execution(scenario, env, thresholds).execute();
    }

    /** A worker group the engine started and has not collected yet. */
    private static final class Group {
        final int id;
        final String label;
        final int owner;
        final WorkType type;
        final int count;
        final List<Integer> pids;
        String cgroup;
        CpuSet allowed;
        boolean unrestricted;

        Group(int id, String cgroup, String label, int owner, WorkType type, int count, List<Integer> pids) {
            this.id = id;
            this.cgroup = cgroup;
            this.label = label;
            this.owner = owner;
            this.type = type;
            this.count = count;
            this.pids = List.copyOf(pids);
            this.allowed = CpuSet.empty();
        }
    }

    /** One scenario's execution state. */
    private final class Execution {
        private final Scenario scenario;
        private final ScenarioEnv env;
        private final Topology topology;
        private final Thresholds thresholds;
        private final CgroupModel model;
        private final SplittableRandom random;
        private final List<Group> live = new ArrayList<>();
        private final Map<String, Integer> payloadOwners = new LinkedHashMap<>();
        private final List<StimulusEvent> timeline = new ArrayList<>();
        private final List<StepSpan> spans = new ArrayList<>();
        private final List<Outcome.Failure> failures = new ArrayList<>();
        private final List<CgroupSample> samples = new ArrayList<>();
        private final List<PayloadResult> payloadResults = new ArrayList<>();
        private long collectedIterations;
        private long t0;
        private int step = CgroupModel.BACKDROP;
        private String doing = "starting";
        private boolean agentDead;

        Execution(Scenario scenario, ScenarioEnv env, Thresholds thresholds) {
            this.scenario = scenario;
            this.env = env;
            this.topology = env.topology();
            this.thresholds = thresholds;
            this.model = new CgroupModel(topology);
            this.random = new SplittableRandom(options.seed() ^ scenario.name().hashCode());
        }

        ScenarioRun execute() {
            t0 = options.clock().nanoTime();
            boolean interrupted = false;
            try {
                runSteps();
            } catch (AgentException e) {
                agentFailed(e);
            } catch (InterruptedException e) {
                interrupted = true;
                failures.add(FailureKind.AGENT_FAILED.failure(
                        "AgentFailed: interrupted while " + doing + "; the scenario was cut short"));
            } catch (RuntimeException e) {
                failures.add(FailureKind.INVALID_SCENARIO.failure(
                        "InvalidScenario: scenario '" + scenario.name() + "' failed while " + doing + ": " + e));
            } finally {
                teardownAll();
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            List<CgroupStats> stats = statistics();
            failures.addAll(CheckSuite.run(samples, thresholds, topology));
            Map<String, Double> metrics = ScenarioMetrics.of(stats);
            return new ScenarioRun(scenario.name(), ScenarioRun.statusOf(failures), failures, null, thresholds, spans,
                    timeline, samples, stats, metrics, payloadResults, t0, elapsedMs());
        }

        // ---- the step sequence --------------------------------------------------------------------

        private void runSteps() throws AgentException, InterruptedException {
            applyOps(scenario.backdrop().ops(), "backdrop");
            setup(scenario.backdrop().cgroups(), "backdrop");
            long stepsStart = options.clock().nanoTime();
            List<Step> steps = scenario.steps();
            for (int i = 0; i < steps.size(); i++) {
                step = i;
                if (i > 0 && !schedulerAlive()) {
                    return;
                }
                Step st = steps.get(i);
                long start = elapsedMs();
                options.listener().stepStarted(i, start);
                event("step-start", "hold " + st.hold().describe());
                String where = "step " + i;
                doing = where + " setup " + st.setup().describe();
                List<CgroupDef> defs = st.setup().defs(env);
                if (st.hold() instanceof HoldSpec.Loop loop) {
                    setup(defs, where);
                    loop(st.ops(), where, loop.interval(), stepsStart);
                } else {
                    applyOps(st.ops(), where);
                    setup(defs, where);
                    doing = where + " hold " + st.hold().describe();
                    options.clock().sleep(holdOf(st.hold()));
                }
                StepSpan span = new StepSpan(i, start, elapsedMs());
                spans.add(span);
                options.listener().stepEnded(span);
                event("step-end", "");
                teardownOwner(i, "step " + i);
            }
            schedulerAlive();
        }

        private Duration holdOf(HoldSpec hold) {
            if (hold instanceof HoldSpec.Frac f) {
                return f.of(env.duration());
            }
            if (hold instanceof HoldSpec.Fixed f) {
                return f.duration();
            }
            throw new IllegalStateException("a loop hold has no fixed length");
        }

        /** Ops now and every interval until the scenario's duration (from the first step) is used up. */
        private void loop(List<Op> ops, String where, Duration interval, long stepsStart)
                throws AgentException, InterruptedException {
            long intervalNs = interval.toNanos();
            long now = options.clock().nanoTime();
            long end = Math.max(stepsStart + env.duration().toNanos(), now + intervalNs);
            applyOps(ops, where);
            long next = now + intervalNs;
            while (next <= end) {
                doing = where + " loop hold";
                sleepUntil(next);
                applyOps(ops, where + " (loop)");
                next = Math.max(next + intervalNs, options.clock().nanoTime() + intervalNs);
            }
            sleepUntil(end);
        }

        private void sleepUntil(long target) throws InterruptedException {
            long left = target - options.clock().nanoTime();
            if (left > 0) {
                options.clock().sleep(Duration.ofNanos(left));
            }
        }

        private boolean schedulerAlive() {
            Optional<Outcome.Failure> f = options.watch().check();
            if (f.isPresent()) {
                failures.add(f.get());
                event("scheduler-failed", f.get().message());
                return false;
            }
            return true;
        }

        // ---- setup --------------------------------------------------------------------------------

        private void setup(List<CgroupDef> defs, String where) throws AgentException {
            if (defs.isEmpty()) {
                return;
            }
            List<Integer> ids = new ArrayList<>();
            List<String> described = new ArrayList<>();
            for (CgroupDef def : defs) {
                doing = where + " setup of cgroup " + def.name();
                model.add(def.name(), step);
                agent.createCgroup(def.name());
                if (def.cpuset() != null) {
                    CpuSet cpus = def.cpuset().resolve(topology);
                    model.setCpuset(def.name(), cpus);
                    agent.setCpuset(def.name(), cpus, CpusetSpec.nodesOf(topology, cpus));
                }
                CpuSet cpuset = model.effectiveCpuset(def.name());
                List<String> groups = new ArrayList<>();
                for (Work w : def.effectiveWorks()) {
                    Group g = spawn(def.name(), def.name(), w, def.swappable(), true, cpuset);
                    ids.add(g.id);
                    groups.add(g.count + "x" + g.type.describe());
                }
                described.add(def.name() + (cpuset == null ? "" : " cpus=" + cpuset) + " " + groups);
            }
            doing = where + " start of " + ids.size() + " worker groups";
            agent.startWorkers(ids);
            refreshAllowed();
            for (String d : described) {
                event("Setup", d);
            }
        }

        private Group spawn(String cgroup, String label, Work w, boolean swappable, boolean overridable, CpuSet cpuset)
                throws AgentException {
            int count = w.count().resolve(env, cpuset, w.type().groupSize());
            WorkType type = overridable ? WorkerSpecs.effectiveType(swappable, w, count, env.workTypeOverride()) : w.type();
            List<CpuSet> affinity = w.affinity().resolve(topology, cpuset, count, random);
            WorkerGroupSpec spec = WorkerSpecs.build(groupIds.getAndIncrement(), cgroup, w, type, count, affinity,
                    options.programLocator());
            List<Integer> pids = agent.spawnWorkers(spec);
            Group g = new Group(spec.groupId(), cgroup, label, step, type, count, pids);
            live.add(g);
            return g;
        }

        // ---- ops ----------------------------------------------------------------------------------

        private void applyOps(List<Op> ops, String where) throws AgentException, InterruptedException {
            for (int j = 0; j < ops.size(); j++) {
                Op op = ops.get(j);
                doing = where + " op " + j + " (" + op.kind() + " " + op.describe() + ")";
                apply(op);
                refreshAllowed();
                event(op.kind(), op.describe());
            }
        }

        private void apply(Op op) throws AgentException, InterruptedException {
            if (op instanceof Op.AddCgroup a) {
                model.add(a.name(), step);
                agent.createCgroup(a.name());
            } else if (op instanceof Op.RemoveCgroup r) {
                model.require(r.cgroup());
                collect(groupsIn(r.cgroup()), phase());
                model.remove(r.cgroup());
                agent.removeCgroup(r.cgroup());
            } else if (op instanceof Op.SetCpuset s) {
                model.require(s.cgroup());
                CpuSet cpus = s.cpus().resolve(topology);
                agent.setCpuset(s.cgroup(), cpus, CpusetSpec.nodesOf(topology, cpus));
                model.setCpuset(s.cgroup(), cpus);
            } else if (op instanceof Op.ClearCpuset c) {
                model.require(c.cgroup());
                agent.setCpuset(c.cgroup(), CpuSet.empty(), CpuSet.empty());
                model.setCpuset(c.cgroup(), null);
            } else if (op instanceof Op.SwapCpusets s) {
                CpuSet a = model.require(s.a()).cpuset();
                CpuSet b = model.require(s.b()).cpuset();
                writeCpuset(s.a(), b);
                writeCpuset(s.b(), a);
            } else if (op instanceof Op.Spawn s) {
                model.require(s.cgroup());
                Group g = spawn(s.cgroup(), s.cgroup(), s.work(), false, false, model.effectiveCpuset(s.cgroup()));
                agent.startWorkers(List.of(g.id));
            } else if (op instanceof Op.StopCgroup s) {
                model.require(s.cgroup());
                collect(groupsIn(s.cgroup()), phase());
            } else if (op instanceof Op.SetAffinity s) {
                model.require(s.cgroup());
                CpuSet cpuset = model.effectiveCpuset(s.cgroup());
                for (Group g : groupsIn(s.cgroup())) {
                    List<CpuSet> sets = s.affinity().resolve(topology, cpuset, g.count, random);
                    agent.setAffinity(g.id, sets.isEmpty() ? Collections.nCopies(g.count, CpuSet.empty()) : sets);
                }
            } else if (op instanceof Op.SpawnHost h) {
                Group g = spawn("", HOST_LABEL, h.work(), false, false, null);
                agent.startWorkers(List.of(g.id));
            } else if (op instanceof Op.MoveAllTasks m) {
                model.checkMove(m.from(), m.to());
                agent.moveAllTasks(m.from(), m.to());
                for (Group g : groupsIn(m.from())) {
                    g.cgroup = m.to();
                }
            } else if (op instanceof Op.RunPayload r) {
                if (!r.cgroup().isEmpty()) {
                    model.require(r.cgroup());
                }
                model.addPayload(r.name(), step);
                agent.spawn(r.name(), r.argv(), List.of(), r.cgroup());
                payloadOwners.put(r.name(), step);
            } else if (op instanceof Op.WaitPayload w) {
                model.removePayload(w.name());
                payloadOwners.remove(w.name());
                waitPayload(w.name(), w.timeout());
            } else if (op instanceof Op.KillPayload k) {
                model.removePayload(k.name());
                payloadOwners.remove(k.name());
                killPayload(k.name());
            } else {
                throw new IllegalStateException("engine does not know op " + op.kind());
            }
        }

        private void writeCpuset(String cgroup, CpuSet cpus) throws AgentException {
            if (cpus == null) {
                agent.setCpuset(cgroup, CpuSet.empty(), CpuSet.empty());
            } else {
                agent.setCpuset(cgroup, cpus, CpusetSpec.nodesOf(topology, cpus));
            }
            model.setCpuset(cgroup, cpus);
        }

        private List<Group> groupsIn(String cgroup) {
            return live.stream().filter(g -> g.cgroup.equals(cgroup)).toList();
        }

        /** Widens every live group's allowed CPUs by its cgroup's current effective cpuset. */
        private void refreshAllowed() {
            for (Group g : live) {
                CpuSet eff = model.exists(g.cgroup) ? model.effectiveCpuset(g.cgroup) : null;
                if (eff == null) {
                    g.unrestricted = true;
                } else {
                    g.allowed = g.allowed.union(eff);
                }
            }
        }

        private void waitPayload(String name, Duration timeout) throws AgentException {
            ProcessExit exit = agent.await(name, timeout);
            if (!exit.exited()) {
                failures.add(FailureKind.PAYLOAD_FAILED.failure("PayloadFailed: payload '" + name
                        + "' did not exit within " + timeout.toMillis() + " ms; killed (" + doing + ")"));
                agent.signal(name, 9);
                ProcessExit killed = agent.await(name, KILL_WAIT);
                payloadResults.add(result(name, killed, true));
                return;
            }
            if (exit.exitCode() != 0 || exit.termSignal() != 0) {
                failures.add(FailureKind.PAYLOAD_FAILED.failure("PayloadFailed: payload '" + name + "' "
                        + (exit.termSignal() != 0 ? "was killed by signal " + exit.termSignal()
                                : "exited with code " + exit.exitCode())
                        + lastLine(exit.output())));
            }
            payloadResults.add(result(name, exit, false));
        }

        /** Kills a payload, or collects it when it already ended by itself (the agent says ESRCH then). */
        private void killPayload(String name) throws AgentException {
            boolean killed = true;
            try {
                agent.signal(name, 9);
            } catch (AgentException e) {
                if (e.kind() != AgentException.Kind.REMOTE_ERROR || e.errno() != ESRCH) {
                    throw e;
                }
                killed = false;
            }
            ProcessExit exit = agent.await(name, KILL_WAIT);
            if (!killed && (exit.exitCode() != 0 || exit.termSignal() != 0)) {
                failures.add(FailureKind.PAYLOAD_FAILED.failure("PayloadFailed: payload '" + name + "' "
                        + (exit.termSignal() != 0 ? "was killed by signal " + exit.termSignal()
                                : "exited with code " + exit.exitCode())
                        + " before its step ended" + lastLine(exit.output())));
            }
            payloadResults.add(result(name, exit, killed));
        }

        private PayloadResult result(String name, ProcessExit exit, boolean killed) {
            byte[] out = exit.output() == null ? new byte[0] : exit.output();
            int from = Math.max(0, out.length - PAYLOAD_OUTPUT_TAIL);
            return new PayloadResult(name, exit.exited(), killed, exit.exitCode(), exit.termSignal(),
                    new String(out, from, out.length - from, StandardCharsets.UTF_8));
        }

        private String lastLine(byte[] output) {
            if (output == null || output.length == 0) {
                return "";
            }
            String[] lines = new String(output, StandardCharsets.UTF_8).strip().split("\n");
            return lines.length == 0 || lines[lines.length - 1].isBlank() ? "" : ": " + lines[lines.length - 1].strip();
        }

        // ---- collection and teardown --------------------------------------------------------------

        private String phase() {
            return step == CgroupModel.BACKDROP ? "backdrop" : "step " + step;
        }

        /** Stops the groups and turns their reports into samples, per cgroup label. */
        private void collect(List<Group> groups, String phase) throws AgentException {
            if (groups.isEmpty()) {
                return;
            }
            live.removeAll(groups);
            List<Integer> ids = groups.stream().map(g -> g.id).toList();
            List<WorkerReport> reports = agent.stopWorkers(ids, options.stopDeadline());
            Map<Integer, List<WorkerReport>> byGroup = new HashMap<>();
            for (WorkerReport r : reports) {
                byGroup.computeIfAbsent(r.groupId(), k -> new ArrayList<>()).add(r);
            }
            Map<String, List<GroupSample>> byLabel = new LinkedHashMap<>();
            for (Group g : groups) {
                List<WorkerReport> rs = complete(g, byGroup.getOrDefault(g.id, List.of()));
                collectedIterations += rs.stream().mapToLong(WorkerReport::iterations).sum();
                byLabel.computeIfAbsent(g.label, k -> new ArrayList<>()).add(new GroupSample(g.id, g.type.name(),
                        g.type instanceof WorkType.Custom, g.unrestricted ? null : g.allowed, rs));
            }
            byLabel.forEach((label, gs) -> samples.add(new CgroupSample(label, phase, gs)));
        }

        /** One report per worker in index order; a worker the agent did not report on gets a WAIT_FAILED stand-in. */
        private List<WorkerReport> complete(Group g, List<WorkerReport> got) {
            Map<Integer, WorkerReport> byIndex = new HashMap<>();
            for (WorkerReport r : got) {
                byIndex.putIfAbsent(r.index(), r);
            }
            List<WorkerReport> out = new ArrayList<>(g.count);
            for (int i = 0; i < g.count; i++) {
                WorkerReport r = byIndex.get(i);
                if (r == null) {
                    int pid = i < g.pids.size() ? g.pids.get(i) : 0;
                    r = new WorkerReport(g.id, i, pid, WorkerReport.ExitKind.WAIT_FAILED, 0, 0, false, false, 0, 0, 0,
                            0, 0, 0, List.of(), "", 0, -1, 0, LatencyHistogram.empty(), 0, 0, 0, 0, 0, List.of(), 0, 0);
                }
                out.add(r);
            }
            out.sort(Comparator.comparingInt(WorkerReport::index));
            return out;
        }

        /** Removes what {@code owner} created: stop its workers, kill its payloads, remove its cgroups. */
        private void teardownOwner(int owner, String phase) throws AgentException {
            doing = phase + " teardown";
            collect(live.stream().filter(g -> g.owner == owner).toList(), phase);
            for (Map.Entry<String, Integer> p : new ArrayList<>(payloadOwners.entrySet())) {
                if (p.getValue() == owner) {
                    payloadOwners.remove(p.getKey());
                    model.removePayload(p.getKey());
                    killPayload(p.getKey());
                }
            }
            for (String cg : model.ownedBy(owner)) {
                model.remove(cg);
                agent.removeCgroup(cg);
            }
            event("teardown", phase);
        }

        /** Final cleanup, also after failures: every remaining group, payload and cgroup, step-local first. */
        private void teardownAll() {
            boolean wasInterrupted = Thread.interrupted();
            try {
                List<Integer> owners = new ArrayList<>();
                for (Group g : live) {
                    if (!owners.contains(g.owner)) {
                        owners.add(g.owner);
                    }
                }
                owners.sort(Comparator.reverseOrder());
                for (int owner : owners) {
                    String phase = owner == CgroupModel.BACKDROP ? "backdrop" : "step " + owner;
                    guarded("stop workers of " + phase,
                            () -> collect(live.stream().filter(g -> g.owner == owner).toList(), phase));
                }
                for (String name : new ArrayList<>(payloadOwners.keySet())) {
                    payloadOwners.remove(name);
                    guarded("kill payload " + name, () -> killPayload(name));
                }
                for (String cg : model.allReversed()) {
                    guarded("remove cgroup " + cg, () -> {
                        model.remove(cg);
                        agent.removeCgroup(cg);
                    });
                }
            } finally {
                if (wasInterrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private void guarded(String what, AgentAction action) {
            if (agentDead) {
                return;
            }
            doing = "cleanup: " + what;
            try {
                action.run();
            } catch (AgentException e) {
                if (e.kind() == AgentException.Kind.AGENT_DIED) {
                    agentFailed(e);
                } else {
                    failures.add(FailureKind.CLEANUP_FAILED.failure("CleanupFailed: " + what + ": " + e.getMessage()));
                }
            } catch (RuntimeException e) {
                failures.add(FailureKind.CLEANUP_FAILED.failure("CleanupFailed: " + what + ": " + e));
            }
        }

        private void agentFailed(AgentException e) {
            if (e.kind() == AgentException.Kind.AGENT_DIED) {
                if (agentDead) {
                    return;
                }
                agentDead = true;
            }
            failures.add(FailureKind.AGENT_FAILED.failure("AgentFailed: while " + doing + ": " + e.getMessage()));
        }

        // ---- timeline and statistics --------------------------------------------------------------

        private long elapsedMs() {
            return (options.clock().nanoTime() - t0) / 1_000_000;
        }

        private void event(String kind, String detail) {
            long iterations = collectedIterations;
            List<Integer> ids = live.stream().map(g -> g.id).toList();
            if (!ids.isEmpty() && !agentDead) {
                try {
                    for (long v : agent.iterations(ids)) {
                        iterations += v;
                    }
                } catch (AgentException e) {
                    agentFailed(e);
                }
            }
            StimulusEvent ev = new StimulusEvent(elapsedMs(), step, kind, detail, iterations);
            timeline.add(ev);
            options.listener().event(ev);
        }

        private List<CgroupStats> statistics() {
            Map<String, Integer> uses = new HashMap<>();
            for (CgroupSample s : samples) {
                uses.merge(s.cgroup(), 1, Integer::sum);
            }
            List<CgroupStats> out = new ArrayList<>();
            for (CgroupSample s : samples) {
                String name = uses.get(s.cgroup()) > 1 ? s.cgroup() + "@" + s.phase().replace(" ", "") : s.cgroup();
                out.add(CgroupStatistics.of(name, s, topology));
            }
            return out;
        }
    }

    /** An agent call inside cleanup. */
    @FunctionalInterface
    private interface AgentAction {
        void run() throws AgentException;
    }
}
