package dev.ktstr.runtime.scenario;

import dev.ktstr.runtime.checks.Thresholds;
import dev.ktstr.topology.Topology;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A whole scheduler scenario: a {@link Backdrop} that persists, then {@link Step}s in order. It can
 * carry topology {@link Requirement}s (a run on a smaller machine is skipped with the reason) and its
 * own check thresholds, which sit between the defaults and the scheduler's in the merge chain.
 *
 * <pre>{@code
 * Scenario.of("cpuset_apply", "disjoint cpusets applied mid-run",
 *         Step.hold(HoldSpec.frac(0.5)),
 *         Step.of(HoldSpec.frac(0.5), Op.setCpuset("cg_0", CpusetSpec.disjoint(0, 2)),
 *                                     Op.setCpuset("cg_1", CpusetSpec.disjoint(1, 2))))
 *     .withBackdrop(Backdrop.EMPTY.withCgroups(CgroupDef.named("cg_0"), CgroupDef.named("cg_1")));
 * }</pre>
 *
 * @param name          a stable identifier, e.g. {@code cgroup_cpuset_apply_midrun}
 * @param description   one line for humans
 * @param backdrop      persistent state
 * @param steps         the phases, at least one
 * @param requirements  what the topology must offer
 * @param checks        this scenario's threshold layer ({@link Thresholds#NONE} for none)
 */
public record Scenario(String name, String description, Backdrop backdrop, List<Step> steps,
        List<Requirement> requirements, Thresholds checks) {

    public Scenario {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a scenario needs a name");
        }
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(backdrop, "backdrop");
        steps = List.copyOf(steps);
        requirements = List.copyOf(requirements);
        Objects.requireNonNull(checks, "checks");
    }

    /** A scenario of these steps with an empty backdrop, no requirements and no own thresholds. */
    public static Scenario of(String name, String description, List<Step> steps) {
        return new Scenario(name, description, Backdrop.EMPTY, steps, List.of(), Thresholds.NONE);
    }

    public static Scenario of(String name, String description, Step... steps) {
        return of(name, description, List.of(steps));
    }

    public Scenario withBackdrop(Backdrop b) {
        return new Scenario(name, description, b, steps, requirements, checks);
    }

    public Scenario requiring(Requirement... more) {
        List<Requirement> next = new ArrayList<>(requirements);
        next.addAll(List.of(more));
        return new Scenario(name, description, backdrop, steps, next, checks);
    }

    /** This scenario with its own threshold layer merged over the current one. */
    public Scenario withChecks(Thresholds layer) {
        return new Scenario(name, description, backdrop, steps, requirements, checks.merge(layer));
    }

    public Scenario withName(String newName) {
        return new Scenario(newName, description, backdrop, steps, requirements, checks);
    }

    public Scenario withDescription(String newDescription) {
        return new Scenario(name, newDescription, backdrop, steps, requirements, checks);
    }

    /** Why this scenario cannot run on {@code topology} (the first unmet requirement), if so. */
    public Optional<String> skipReason(Topology topology) {
        return requirements.stream().filter(r -> !r.satisfiedBy(topology)).map(Requirement::reason).findFirst();
    }

    /**
     * Checks the scenario against {@code topology} with the test defaults (2 s, 2 workers per
     * cgroup); throws {@link InvalidScenarioException} listing every problem. A scenario whose
     * requirements the topology does not meet is valid (it will be skipped).
     */
    public void validate(Topology topology) {
        validate(ScenarioEnv.defaults(topology));
    }

    /** Checks the scenario against a full environment; throws {@link InvalidScenarioException}. */
    public void validate(ScenarioEnv env) {
        List<String> problems = ScenarioValidator.problems(this, env);
        if (!problems.isEmpty()) {
            throw new InvalidScenarioException(name, problems);
        }
    }

    /** Host paths of the Custom work programs this scenario runs in {@code env} (the runner ships them). */
    public Set<Path> customPrograms(ScenarioEnv env) {
        Set<Path> out = new LinkedHashSet<>();
        List<Work> works = new ArrayList<>();
        backdrop.cgroups().forEach(d -> works.addAll(d.effectiveWorks()));
        collectOpWorks(backdrop.ops(), works);
        for (Step s : steps) {
            s.setup().defs(env).forEach(d -> works.addAll(d.effectiveWorks()));
            collectOpWorks(s.ops(), works);
        }
        for (Work w : works) {
            if (w.type() instanceof WorkType.Custom c) {
                out.add(c.program());
            }
        }
        return out;
    }

    /** Whether any part of this scenario writes a cpuset (needs the cpuset controller). */
    public boolean usesCpusets(ScenarioEnv env) {
        if (backdrop.cgroups().stream().anyMatch(d -> d.cpuset() != null) || opsUseCpusets(backdrop.ops())) {
            return true;
        }
        for (Step s : steps) {
            if (s.setup().defs(env).stream().anyMatch(d -> d.cpuset() != null) || opsUseCpusets(s.ops())) {
                return true;
            }
        }
        return false;
    }

    private static boolean opsUseCpusets(List<Op> ops) {
        return ops.stream().anyMatch(o -> o instanceof Op.SetCpuset || o instanceof Op.SwapCpusets
                || o instanceof Op.ClearCpuset);
    }

    private static void collectOpWorks(List<Op> ops, List<Work> into) {
        for (Op o : ops) {
            if (o instanceof Op.Spawn s) {
                into.add(s.work());
            } else if (o instanceof Op.SpawnHost h) {
                into.add(h.work());
            }
        }
    }
}
