package dev.ktstr.runtime.scenario.canned;

import dev.ktstr.runtime.scenario.Backdrop;
import dev.ktstr.runtime.scenario.CgroupDef;
import dev.ktstr.runtime.scenario.CpusetSpec;
import dev.ktstr.runtime.scenario.HoldSpec;
import dev.ktstr.runtime.scenario.Op;
import dev.ktstr.runtime.scenario.Requirement;
import dev.ktstr.runtime.scenario.Scenario;
import dev.ktstr.runtime.scenario.Step;
import dev.ktstr.runtime.scenario.Work;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The data-driven steady-state scenarios of the catalog (ktstr's {@code Action::Steady}):
 * {@code n} cgroups {@code cg_0 … cg_{n-1}}, cpusets from a {@link CpusetPartition}, each running its
 * work groups for the whole duration. A cgroup with no work groups is idle: it exists (with its
 * cpuset) but runs nothing, the shape of "one cgroup idle, the other overloaded".
 */
public final class Steady {

    private Steady() {}

    /** Every cgroup runs the same work groups. */
    public static Scenario uniform(String name, String description, int cgroups, CpusetPartition partition,
            Work... works) {
        return of(name, description, partition, Collections.nCopies(cgroups, List.of(works)));
    }

    /**
     * Cgroup {@code i} runs {@code perCgroup.get(i)} (empty = idle).
     *
     * @throws IllegalArgumentException for no cgroups, or an idle cgroup under a topology-dependent partition
     */
    public static Scenario of(String name, String description, CpusetPartition partition, List<List<Work>> perCgroup) {
        int n = perCgroup.size();
        if (n == 0) {
            throw new IllegalArgumentException("steady scenario '" + name + "' needs at least one cgroup");
        }
        List<List<Work>> works = List.copyOf(perCgroup.stream().map(List::copyOf).toList());
        Backdrop idle = Backdrop.EMPTY;
        for (int i = 0; i < n; i++) {
            if (works.get(i).isEmpty()) {
                if (partition.topologyDependent()) {
                    throw new IllegalArgumentException("steady scenario '" + name + "': idle cgroup cg_" + i
                            + " cannot use the topology-dependent partition " + partition.describe());
                }
                idle = idle.withOps(Op.addCgroup("cg_" + i));
                CpusetSpec spec = partition.spec(i, n, null);
                if (spec != null) {
                    idle = idle.withOps(Op.setCpuset("cg_" + i, spec));
                }
            }
        }
        Step step = Step.withFactory(n + " cgroups, cpusets " + partition.describe(), env -> {
            List<CgroupDef> defs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (works.get(i).isEmpty()) {
                    continue;
                }
                CgroupDef d = CgroupDef.named("cg_" + i);
                CpusetSpec spec = partition.spec(i, n, env.topology());
                if (spec != null) {
                    d = d.withCpuset(spec);
                }
                for (Work w : works.get(i)) {
                    d = d.work(w);
                }
                defs.add(d);
            }
            return defs;
        }, HoldSpec.FULL);
        return Scenario.of(name, description, step).withBackdrop(idle)
                .requiring(partition.requirements(n).toArray(Requirement[]::new));
    }
}
