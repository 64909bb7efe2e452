package dev.ktstr.runtime.agent;

import java.util.List;

/**
 * A group of identical workers as the agent receives it ({@code struct kw_group_spec} in
 * {@code ktstr_work.h}; encoding in {@link WorkWire}). The scenario layer builds these from its
 * {@code Work} definitions; this type is deliberately low-level.
 *
 * @param groupId     unique per VM run
 * @param cgroup      cgroup path relative to the agent's root ("" = root)
 * @param type        work type id ({@code enum kw_type})
 * @param params      type parameters in the header's order (0 = default); at most 4
 * @param phases      Sequence phases (empty otherwise)
 * @param customArgv  program and arguments for Custom (empty otherwise)
 * @param count       workers in the group
 * @param policy      kernel SCHED_* policy
 * @param priority    FIFO/RR priority 1..99 (0 otherwise)
 * @param nice        nice value for NORMAL/BATCH
 * @param affinity    empty = inherit; else one CPU list per worker ("" = inherit)
 * @param memPolicy   kernel MPOL_* mode
 * @param memNodes    node list for the memory policy ("" for none)
 * @param mpolFlags   MPOL_F_* flags
 */
public record WorkerGroupSpec(
        int groupId,
        String cgroup,
        int type,
        List<Long> params,
        List<Phase> phases,
        List<String> customArgv,
        int count,
        int policy,
        int priority,
        int nice,
        List<String> affinity,
        int memPolicy,
        String memNodes,
        int mpolFlags) {

    public WorkerGroupSpec {
        params = List.copyOf(params);
        phases = List.copyOf(phases);
        customArgv = List.copyOf(customArgv);
        affinity = List.copyOf(affinity);
        if (params.size() > 4) {
            throw new IllegalArgumentException("at most 4 work parameters, got " + params.size());
        }
        if (phases.size() > 32) {
            throw new IllegalArgumentException("at most 32 Sequence phases, got " + phases.size());
        }
        if (!affinity.isEmpty() && affinity.size() != count) {
            throw new IllegalArgumentException("affinity needs one entry per worker (" + count + "), got "
                    + affinity.size());
        }
    }

    /** One Sequence phase: kind 1 spin, 2 sleep, 3 yield, 4 io. */
    public record Phase(int kind, long durationNs) {}
}
