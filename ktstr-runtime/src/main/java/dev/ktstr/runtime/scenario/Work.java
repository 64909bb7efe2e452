package dev.ktstr.runtime.scenario;

import java.util.Objects;

/**
 * One group of identical workers (ktstr facts §7 {@code Work}): a {@link WorkType}, a scheduling
 * policy, how many workers, per-worker affinity, memory policy and nice value. Immutable; the
 * {@code withX} methods return modified copies.
 *
 * @param type       what each worker does (default {@link WorkType.CpuSpin})
 * @param policy     scheduling policy (default {@link SchedPolicy#NORMAL})
 * @param count      how many workers (default {@link WorkerCount#DEFAULT}: the run's per-cgroup default)
 * @param affinity   per-worker affinity (default {@link AffinityKind#INHERIT})
 * @param memPolicy  NUMA memory policy (default {@link MemPolicy#DEFAULT})
 * @param mpolFlags  memory policy mode flags (default none)
 * @param nice       nice value for NORMAL/BATCH workers, -20..19 (default 0)
 */
public record Work(WorkType type, SchedPolicy policy, WorkerCount count, AffinityKind affinity,
        MemPolicy memPolicy, MpolFlags mpolFlags, int nice) {

    public Work {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(count, "count");
        Objects.requireNonNull(affinity, "affinity");
        Objects.requireNonNull(memPolicy, "memPolicy");
        Objects.requireNonNull(mpolFlags, "mpolFlags");
        if (nice < -20 || nice > 19) {
            throw new IllegalArgumentException("nice must be -20..19, got " + nice);
        }
    }

    /** CpuSpin, NORMAL, the default count, inherited affinity, default memory policy. */
    public static Work defaults() {
        return new Work(WorkType.CPU_SPIN, SchedPolicy.NORMAL, WorkerCount.DEFAULT, AffinityKind.INHERIT,
                MemPolicy.DEFAULT, MpolFlags.NONE, 0);
    }

    /** The defaults with another work type. */
    public static Work of(WorkType type) {
        return defaults().withType(type);
    }

    public Work withType(WorkType t) {
        return new Work(t, policy, count, affinity, memPolicy, mpolFlags, nice);
    }

    public Work withPolicy(SchedPolicy p) {
        return new Work(type, p, count, affinity, memPolicy, mpolFlags, nice);
    }

    public Work workers(int n) {
        return workers(WorkerCount.fixed(n));
    }

    public Work workers(WorkerCount c) {
        return new Work(type, policy, c, affinity, memPolicy, mpolFlags, nice);
    }

    public Work withAffinity(AffinityKind a) {
        return new Work(type, policy, count, a, memPolicy, mpolFlags, nice);
    }

    public Work withMemPolicy(MemPolicy m) {
        return new Work(type, policy, count, affinity, m, mpolFlags, nice);
    }

    public Work withMpolFlags(MpolFlags f) {
        return new Work(type, policy, count, affinity, memPolicy, f, nice);
    }

    public Work withNice(int n) {
        return new Work(type, policy, count, affinity, memPolicy, mpolFlags, n);
    }

    /** A short human form, e.g. {@code 4×Bursty(50ms/100ms) FIFO(1)}. */
    public String describe() {
        StringBuilder sb = new StringBuilder(count.describe()).append('×').append(type.describe());
        if (!(policy instanceof SchedPolicy.Normal)) {
            sb.append(' ').append(policy.describe());
        }
        if (!(affinity instanceof AffinityKind.Inherit)) {
            sb.append(" affinity=").append(affinity.describe());
        }
        if (!(memPolicy instanceof MemPolicy.Default)) {
            sb.append(" mempolicy=").append(memPolicy.describe());
        }
        if (nice != 0) {
            sb.append(" nice=").append(nice);
        }
        return sb.toString();
    }
}
