package dev.ktstr.runtime.checks;

import dev.ktstr.runtime.measure.WorkerReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One cgroup's worker groups as collected at one point of a scenario (the end of a step, or the
 * end of the scenario for Backdrop cgroups): what every check and statistic works on.
 *
 * @param cgroup  the cgroup's name as the scenario spells it ({@code (host)} for host workers)
 * @param phase   where it was collected, e.g. {@code step 1} or {@code backdrop}
 * @param groups  its worker groups
 */
public record CgroupSample(String cgroup, String phase, List<GroupSample> groups) {

    public CgroupSample {
        Objects.requireNonNull(cgroup, "cgroup");
        Objects.requireNonNull(phase, "phase");
        groups = List.copyOf(groups);
    }

    /**
     * One worker with its position in the cgroup (numbered across groups in spawn order) so a
     * failure can say {@code cg_0 worker 3 (pid 214)}.
     */
    public record Worker(int ordinal, GroupSample group, WorkerReport report) {

        /** {@code worker 3 (pid 214)}. */
        public String label() {
            return "worker " + ordinal + " (pid " + report.pid() + ")";
        }
    }

    /** Every worker, numbered in spawn order. */
    public List<Worker> workers() {
        List<Worker> out = new ArrayList<>();
        int n = 0;
        for (GroupSample g : groups) {
            for (WorkerReport r : g.reports()) {
                out.add(new Worker(n++, g, r));
            }
        }
        return out;
    }

    /** Workers that reported normally (exit kind OK). */
    public List<Worker> reported() {
        return workers().stream().filter(w -> w.report().reported()).toList();
    }

    /** Reported workers with framework telemetry (not Custom). */
    public List<Worker> measured() {
        return reported().stream().filter(w -> !w.group().custom()).toList();
    }

    public int workerCount() {
        return groups.stream().mapToInt(g -> g.reports().size()).sum();
    }
}
