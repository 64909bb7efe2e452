package dev.ktstr.runtime.scenario;

import java.util.ArrayList;
import java.util.List;

/**
 * State that persists across all steps of a scenario (ktstr facts §7 {@code Backdrop}): its ops run
 * and its cgroups are set up before the first step, and live until the scenario ends, when their
 * workers' reports are collected and checked.
 *
 * @param cgroups  persistent cgroups with workers
 * @param ops      persistent ops, run before the cgroups are set up (e.g. empty move targets, parents)
 */
public record Backdrop(List<CgroupDef> cgroups, List<Op> ops) {

    /** Nothing persists. */
    public static final Backdrop EMPTY = new Backdrop(List.of(), List.of());

    public Backdrop {
        cgroups = List.copyOf(cgroups);
        ops = List.copyOf(ops);
    }

    /** Adds a persistent cgroup. */
    public Backdrop withCgroup(CgroupDef def) {
        List<CgroupDef> next = new ArrayList<>(cgroups);
        next.add(def);
        return new Backdrop(next, ops);
    }

    /** Adds persistent cgroups. */
    public Backdrop withCgroups(CgroupDef... defs) {
        Backdrop b = this;
        for (CgroupDef d : defs) {
            b = b.withCgroup(d);
        }
        return b;
    }

    /** Appends persistent ops. */
    public Backdrop withOps(Op... more) {
        List<Op> next = new ArrayList<>(ops);
        next.addAll(List.of(more));
        return new Backdrop(cgroups, next);
    }

    public boolean isEmpty() {
        return cgroups.isEmpty() && ops.isEmpty();
    }
}
