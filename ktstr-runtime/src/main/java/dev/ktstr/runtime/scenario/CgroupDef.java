package dev.ktstr.runtime.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * A cgroup with workers (ktstr facts §7 {@code CgroupDef}): create the cgroup, set its cpuset,
 * spawn its worker groups — the three things that always go together. Immutable builder style:
 *
 * <pre>{@code
 * CgroupDef.named("cg_0").withCpuset(CpusetSpec.disjoint(0, 2)).workers(4).workType(WorkType.YIELD_HEAVY)
 * CgroupDef.named("cg_1").work(Work.of(Bursty.ms(50, 100)).workers(2)).work(Work.defaults())
 * }</pre>
 *
 * <p>An empty {@code works} list means one group of {@link Work#defaults()}. The shorthands
 * ({@link #workers}, {@link #workType}, {@link #schedPolicy}, {@link #affinity}, {@link #memPolicy},
 * {@link #mpolFlags}, {@link #nice}) edit the last group (the implicit default one if none was added);
 * {@link #work(Work)} adds a concurrent group. Names are paths relative to the agent's cgroup root;
 * {@code a/b} is nested under {@code a}, which must exist first.
 *
 * @param name       the cgroup path, segments of {@code [A-Za-z0-9_.-]}
 * @param cpuset     its cpuset, or {@code null} for none
 * @param works      its worker groups (empty = one default group)
 * @param swappable  whether a run's {@link WorkTypeOverride} may replace its work types
 */
public record CgroupDef(String name, CpusetSpec cpuset, List<Work> works, boolean swappable) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*");

    public CgroupDef {
        checkName(name);
        works = List.copyOf(works);
    }

    /** Checks a cgroup path; throws with the reason. */
    public static void checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches() || name.contains("..") || List.of(name.split("/")).contains(".")) {
            throw new IllegalArgumentException("bad cgroup name '" + name
                    + "': use segments of letters, digits, '_', '.', '-' separated by '/'");
        }
    }

    /** A cgroup with one default worker group and no cpuset. */
    public static CgroupDef named(String name) {
        return new CgroupDef(name, null, List.of(), false);
    }

    /** The worker groups with the implicit default filled in. */
    public List<Work> effectiveWorks() {
        return works.isEmpty() ? List.of(Work.defaults()) : works;
    }

    public CgroupDef withCpuset(CpusetSpec spec) {
        return new CgroupDef(name, Objects.requireNonNull(spec, "spec"), works, swappable);
    }

    /** Adds a concurrent worker group. */
    public CgroupDef work(Work w) {
        List<Work> next = new ArrayList<>(works);
        next.add(Objects.requireNonNull(w, "work"));
        return new CgroupDef(name, cpuset, next, swappable);
    }

    public CgroupDef workers(int n) {
        return editLast(w -> w.workers(n));
    }

    public CgroupDef workers(WorkerCount c) {
        return editLast(w -> w.workers(c));
    }

    public CgroupDef workType(WorkType t) {
        return editLast(w -> w.withType(t));
    }

    public CgroupDef schedPolicy(SchedPolicy p) {
        return editLast(w -> w.withPolicy(p));
    }

    public CgroupDef affinity(AffinityKind a) {
        return editLast(w -> w.withAffinity(a));
    }

    public CgroupDef memPolicy(MemPolicy m) {
        return editLast(w -> w.withMemPolicy(m));
    }

    public CgroupDef mpolFlags(MpolFlags f) {
        return editLast(w -> w.withMpolFlags(f));
    }

    public CgroupDef nice(int n) {
        return editLast(w -> w.withNice(n));
    }

    public CgroupDef swappable(boolean s) {
        return new CgroupDef(name, cpuset, works, s);
    }

    private CgroupDef editLast(UnaryOperator<Work> edit) {
        List<Work> next = new ArrayList<>(effectiveWorks());
        next.set(next.size() - 1, edit.apply(next.get(next.size() - 1)));
        return new CgroupDef(name, cpuset, next, swappable);
    }

    /** A short human form, e.g. {@code cg_0 cpuset=disjoint(0/2) [4×CpuSpin]}. */
    public String describe() {
        return name + (cpuset == null ? "" : " cpuset=" + cpuset.describe()) + " "
                + effectiveWorks().stream().map(Work::describe).toList() + (swappable ? " swappable" : "");
    }
}
