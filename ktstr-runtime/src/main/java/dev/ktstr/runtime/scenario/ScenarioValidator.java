package dev.ktstr.runtime.scenario;

import dev.ktstr.topology.CpuSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Walks a scenario against an environment without a guest, in the engine's order (backdrop ops,
 * backdrop cgroups, then per step: ops then setup — setup then the ops twice under a loop hold —
 * then the step's teardown), and lists every problem: unknown or duplicate cgroups, cpusets outside
 * the topology, zero workers, group-size divisibility, missing Custom programs, unreachable memory
 * nodes, bad payload names. Each problem names where it is.
 */
public final class ScenarioValidator {

    private final ScenarioEnv env;
    private final CgroupModel model;
    private final List<String> problems = new ArrayList<>();

    private ScenarioValidator(ScenarioEnv env) {
        this.env = env;
        this.model = new CgroupModel(env.topology());
    }

    /** Every problem of {@code scenario} in {@code env}; empty when it can run (or will be skipped). */
    public static List<String> problems(Scenario scenario, ScenarioEnv env) {
        if (scenario.skipReason(env.topology()).isPresent()) {
            return List.of();
        }
        ScenarioValidator v = new ScenarioValidator(env);
        v.walk(scenario);
        return List.copyOf(v.problems);
    }

    private void walk(Scenario scenario) {
        if (scenario.steps().isEmpty()) {
            problems.add("it has no steps");
        }
        ops("backdrop", CgroupModel.BACKDROP, scenario.backdrop().ops());
        setup("backdrop", CgroupModel.BACKDROP, scenario.backdrop().cgroups());
        for (int i = 0; i < scenario.steps().size(); i++) {
            Step step = scenario.steps().get(i);
            String where = "step " + i;
            List<CgroupDef> defs;
            try {
                defs = step.setup().defs(env);
            } catch (RuntimeException e) {
                problems.add(where + " setup '" + step.setup().describe() + "' failed: " + e.getMessage());
                defs = List.of();
            }
            if (step.hold() instanceof HoldSpec.Loop) {
                setup(where, i, defs);
                ops(where, i, step.ops());
                ops(where + " (loop repetition)", i, step.ops());
            } else {
                ops(where, i, step.ops());
                setup(where, i, defs);
            }
            for (String cg : model.ownedBy(i)) {
                model.remove(cg);
            }
            for (String p : model.payloadsOwnedBy(i)) {
                model.removePayload(p);
            }
        }
    }

    private void setup(String where, int owner, List<CgroupDef> defs) {
        Set<String> seen = new HashSet<>();
        for (CgroupDef def : defs) {
            String at = where + " cgroup " + def.name();
            if (!seen.add(def.name())) {
                problems.add(at + ": defined twice in the same setup");
                continue;
            }
            try {
                model.add(def.name(), owner);
            } catch (IllegalArgumentException e) {
                problems.add(at + ": " + e.getMessage());
                continue;
            }
            if (def.cpuset() != null) {
                List<String> p = def.cpuset().problems(env.topology());
                if (!p.isEmpty()) {
                    p.forEach(m -> problems.add(at + ": " + m));
                    continue;
                }
                model.setCpuset(def.name(), def.cpuset().resolve(env.topology()));
            }
            CpuSet cpuset = model.effectiveCpuset(def.name());
            for (Work w : def.effectiveWorks()) {
                work(at, def.swappable(), w, cpuset);
            }
        }
    }

    private void work(String at, boolean swappable, Work w, CpuSet cpuset) {
        int count;
        try {
            count = w.count().resolve(env, cpuset, w.type().groupSize());
        } catch (RuntimeException e) {
            problems.add(at + ": worker count '" + w.count().describe() + "' failed: " + e.getMessage());
            return;
        }
        WorkType type = WorkerSpecs.effectiveType(swappable, w, count, env.workTypeOverride());
        WorkerSpecs.problems(env, w, type, count, cpuset).forEach(m -> problems.add(at + ": " + m));
    }

    private void ops(String where, int owner, List<Op> ops) {
        for (int j = 0; j < ops.size(); j++) {
            Op op = ops.get(j);
            String at = where + " op " + j + " (" + op.kind() + " " + op.describe() + ")";
            try {
                op(at, owner, op);
            } catch (IllegalArgumentException e) {
                problems.add(at + ": " + e.getMessage());
            }
        }
    }

    private void op(String at, int owner, Op op) {
        if (op instanceof Op.AddCgroup a) {
            model.add(a.name(), owner);
        } else if (op instanceof Op.RemoveCgroup r) {
            model.remove(r.cgroup());
        } else if (op instanceof Op.SetCpuset s) {
            model.require(s.cgroup());
            List<String> p = s.cpus().problems(env.topology());
            if (!p.isEmpty()) {
                throw new IllegalArgumentException(p.get(0));
            }
            model.setCpuset(s.cgroup(), s.cpus().resolve(env.topology()));
        } else if (op instanceof Op.ClearCpuset c) {
            model.setCpuset(c.cgroup(), null);
        } else if (op instanceof Op.SwapCpusets s) {
            CpuSet a = model.require(s.a()).cpuset();
            CpuSet b = model.require(s.b()).cpuset();
            model.setCpuset(s.a(), b);
            model.setCpuset(s.b(), a);
        } else if (op instanceof Op.Spawn s) {
            model.require(s.cgroup());
            work(at, false, s.work(), model.effectiveCpuset(s.cgroup()));
        } else if (op instanceof Op.StopCgroup s) {
            model.require(s.cgroup());
        } else if (op instanceof Op.SetAffinity s) {
            model.require(s.cgroup());
            List<String> p = s.affinity().problems(env.topology(), model.effectiveCpuset(s.cgroup()));
            if (!p.isEmpty()) {
                throw new IllegalArgumentException(p.get(0));
            }
        } else if (op instanceof Op.SpawnHost h) {
            work(at, false, h.work(), null);
        } else if (op instanceof Op.MoveAllTasks m) {
            model.checkMove(m.from(), m.to());
        } else if (op instanceof Op.RunPayload r) {
            if (!r.cgroup().isEmpty()) {
                model.require(r.cgroup());
            }
            model.addPayload(r.name(), owner);
        } else if (op instanceof Op.WaitPayload w) {
            model.removePayload(w.name());
        } else if (op instanceof Op.KillPayload k) {
            model.removePayload(k.name());
        } else {
            throw new IllegalStateException("validator does not know op " + op.kind());
        }
    }
}
