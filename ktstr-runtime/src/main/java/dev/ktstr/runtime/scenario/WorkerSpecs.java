package dev.ktstr.runtime.scenario;

import dev.ktstr.runtime.agent.WorkerGroupSpec;
import dev.ktstr.topology.CpuSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns a {@link Work} into the agent's low-level {@link WorkerGroupSpec}, and applies a run's
 * {@link WorkTypeOverride}. Shared by the validator and the engine so both resolve a group the same
 * way.
 */
public final class WorkerSpecs {

    private WorkerSpecs() {}

    /**
     * The work type a group of {@code work} with {@code count} workers really runs: the override
     * when it applies to the definition and its group size divides the count (facts §7.2), else the
     * work's own.
     */
    public static WorkType effectiveType(boolean swappable, Work work, int count, Optional<WorkTypeOverride> override) {
        if (override.isPresent() && override.get().applies(swappable, work)
                && count % override.get().type().groupSize() == 0) {
            return override.get().type();
        }
        return work.type();
    }

    /**
     * Problems with a group of {@code work} resolved to {@code type} and {@code count} workers in a
     * cgroup with effective cpuset {@code cpuset} ({@code null} = unrestricted).
     */
    public static List<String> problems(ScenarioEnv env, Work work, WorkType type, int count, CpuSet cpuset) {
        List<String> out = new ArrayList<>();
        if (count < 1) {
            out.add("a worker group of " + type.describe() + " resolves to " + count + " workers (count "
                    + work.count().describe() + "); it needs at least 1");
        } else if (count % type.groupSize() != 0) {
            out.add(count + " workers of " + type.describe() + " is not a multiple of its group size "
                    + type.groupSize());
        }
        if (type instanceof WorkType.Custom c) {
            out.addAll(c.problems());
        }
        out.addAll(work.affinity().problems(env.topology(), cpuset));
        CpuSet nodes = work.memPolicy().nodes();
        if (!nodes.isEmpty()) {
            CpuSet outside = nodes.minus(CpuSet.range(0, env.topology().numaNodes()));
            if (!outside.isEmpty()) {
                out.add("memory policy " + work.memPolicy().describe() + " names nodes " + outside
                        + " outside the topology " + env.topology() + " (" + env.topology().numaNodes() + " nodes)");
            } else if (cpuset != null) {
                CpuSet reachable = CpusetSpec.nodesOf(env.topology(), cpuset);
                if (!reachable.containsAll(nodes)) {
                    out.add("memory policy " + work.memPolicy().describe() + " names nodes " + nodes.minus(reachable)
                            + " that the cgroup's cpuset " + cpuset + " cannot reach (its nodes: " + reachable + ")");
                }
            }
        }
        return out;
    }

    /**
     * The wire spec for one group.
     *
     * @param groupId         unique per agent
     * @param cgroup          cgroup path relative to the agent root ({@code ""} = the root)
     * @param work            the definition
     * @param type            the effective work type
     * @param count           workers
     * @param affinity        one CPU set per worker, or empty to inherit
     * @param programLocator  maps a Custom program's host path to its path in the guest
     */
    public static WorkerGroupSpec build(int groupId, String cgroup, Work work, WorkType type, int count,
            List<CpuSet> affinity, Function<Path, String> programLocator) {
        List<String> argv = List.of();
        if (type instanceof WorkType.Custom c) {
            List<String> a = new ArrayList<>();
            a.add(programLocator.apply(c.program()));
            a.addAll(c.args());
            argv = a;
        }
        SchedPolicy p = work.policy();
        boolean fair = p instanceof SchedPolicy.Normal || p instanceof SchedPolicy.Batch;
        return new WorkerGroupSpec(groupId, cgroup, type.wireId(), type.params(), type.phases(), argv, count,
                p.kernelPolicy(), p.priority(), fair ? work.nice() : 0,
                affinity.stream().map(CpuSet::render).toList(), work.memPolicy().mode(),
                work.memPolicy().nodes().render(), work.mpolFlags().bits());
    }
}
