package dev.ktstr.kvm.introspect;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Offsets inside {@code struct rq} (kernel/sched/sched.h) that the monitor samples, resolved from
 * BTF. {@code nr_running} and {@code clock} are required; the sched_ext part ({@code rq.scx}, present
 * with CONFIG_SCHED_CLASS_EXT) and the schedstat counters (CONFIG_SCHEDSTATS) are optional and empty
 * when the kernel lacks them.
 *
 * @param nrRunning  {@code rq.nr_running}: runnable tasks of all classes
 * @param clock      {@code rq.clock}: the runqueue clock in ns, advanced on ticks and scheduler events
 * @param scx        sched_ext per-runqueue fields, if the kernel has sched_ext
 * @param schedstat  runqueue schedstat counters, if the kernel has them
 * @param spanStart  first byte of {@code struct rq} any field lives in
 * @param spanEnd    byte past the last field: one read of [start, end) covers them all
 */
public record RunqueueLayout(ScalarField nrRunning, ScalarField clock, Optional<Scx> scx,
        Optional<Schedstat> schedstat, long spanStart, long spanEnd) {

    /**
     * {@code rq.scx} fields.
     *
     * @param nrRunning     {@code scx.nr_running}: tasks owned by sched_ext on this CPU
     * @param localDsqDepth {@code scx.local_dsq.nr}: tasks queued on the CPU's local dispatch queue
     * @param flags         {@code scx.flags}: SCX_RQ_* state bits
     */
    public record Scx(ScalarField nrRunning, ScalarField localDsqDepth, ScalarField flags) {}

    /** {@code rq} schedstat counters (cumulative since boot). */
    public record Schedstat(ScalarField runDelay, ScalarField pcount, ScalarField yldCount, ScalarField schedCount,
            ScalarField schedGoidle, ScalarField ttwuCount, ScalarField ttwuLocal) {
        List<ScalarField> all() {
            return List.of(runDelay, pcount, yldCount, schedCount, schedGoidle, ttwuCount, ttwuLocal);
        }
    }

    /** Resolves the layout; fails only when the required fields are missing. */
    public static RunqueueLayout resolve(Btf btf) throws IntrospectException {
        ScalarField nr = ScalarField.resolve(btf, "rq", "nr_running");
        ScalarField clock = ScalarField.resolve(btf, "rq", "clock");
        Optional<Scx> scx = Optional.empty();
        if (btf.findField("rq", "scx").isPresent()) {
            scx = Optional.of(new Scx(ScalarField.resolve(btf, "rq", "scx.nr_running"),
                    ScalarField.resolve(btf, "rq", "scx.local_dsq.nr"), ScalarField.resolve(btf, "rq", "scx.flags")));
        }
        Optional<Schedstat> ss = Optional.empty();
        if (btf.findField("rq", "rq_sched_info").isPresent() && btf.findField("rq", "ttwu_count").isPresent()) {
            ss = Optional.of(new Schedstat(ScalarField.resolve(btf, "rq", "rq_sched_info.run_delay"),
                    ScalarField.resolve(btf, "rq", "rq_sched_info.pcount"), ScalarField.resolve(btf, "rq", "yld_count"),
                    ScalarField.resolve(btf, "rq", "sched_count"), ScalarField.resolve(btf, "rq", "sched_goidle"),
                    ScalarField.resolve(btf, "rq", "ttwu_count"), ScalarField.resolve(btf, "rq", "ttwu_local")));
        }
        List<ScalarField> all = new ArrayList<>(List.of(nr, clock));
        scx.ifPresent(s -> all.addAll(List.of(s.nrRunning(), s.localDsqDepth(), s.flags())));
        ss.ifPresent(s -> all.addAll(s.all()));
        long start = all.stream().mapToLong(ScalarField::offset).min().orElseThrow();
        long end = all.stream().mapToLong(ScalarField::end).max().orElseThrow();
        return new RunqueueLayout(nr, clock, scx, ss, start, end);
    }

    /** Bytes one snapshot read covers. */
    public int spanBytes() {
        return (int) (spanEnd - spanStart);
    }
}
