package dev.ktstr.runtime.checks;

import dev.ktstr.runtime.measure.WorkerReport;
import dev.ktstr.topology.CpuSet;
import java.util.List;
import java.util.Objects;

/**
 * The reports of one worker group, with what the checks need to judge them.
 *
 * @param groupId      the agent's group id
 * @param workType     the effective work type's name, e.g. {@code CpuSpin}
 * @param custom       a user program (no framework telemetry: the progress checks skip it)
 * @param allowedCpus  every CPU the group was allowed on over its life (the union of the cpusets and
 *                     affinities it had), or {@code null} when it was ever unrestricted
 * @param reports      one per worker, in worker order
 */
public record GroupSample(int groupId, String workType, boolean custom, CpuSet allowedCpus,
        List<WorkerReport> reports) {

    public GroupSample {
        Objects.requireNonNull(workType, "workType");
        reports = List.copyOf(reports);
    }
}
