package dev.ktstr.runtime.monitor;

import java.util.List;

/**
 * One look at every CPU's runqueue, taken by the host while the guest runs.
 *
 * @param index          0 for the first sample of a monitor run
 * @param elapsedNanos   host monotonic time since the monitor started
 * @param scxSched       address of the attached sched_ext root instance ({@code scx_root}), 0 when
 *                       the kernel's default scheduler runs
 * @param eventNames     names of the sched_ext event counters in {@link Cpu#events()} order (empty
 *                       when the kernel has none)
 * @param cpus           one entry per possible CPU
 * @param vcpuCpuNanos   host CPU time of each vCPU thread at sampling time (one entry when a single
 *                       emulation thread runs every vCPU; empty when unknown)
 * @param eventsError    why the event counters could not be read in this sample, or {@code null}
 */
public record Sample(long index, long elapsedNanos, long scxSched, List<String> eventNames, List<Cpu> cpus,
        long[] vcpuCpuNanos, String eventsError) {

    public Sample {
        eventNames = List.copyOf(eventNames);
        cpus = List.copyOf(cpus);
        vcpuCpuNanos = vcpuCpuNanos.clone();
    }

    /** Whether a sched_ext scheduler was attached. */
    public boolean schedExtActive() {
        return scxSched != 0;
    }

    /**
     * One CPU's runqueue.
     *
     * @param nrRunning     {@code rq->nr_running}
     * @param scxNrRunning  {@code rq->scx.nr_running} (-1 without sched_ext)
     * @param localDsqDepth {@code rq->scx.local_dsq.nr} (-1 without sched_ext)
     * @param scxFlags      {@code rq->scx.flags} (0 without sched_ext)
     * @param rqClock       {@code rq->clock}, ns
     * @param schedstat     the runqueue's schedstat counters, or {@code null} without CONFIG_SCHEDSTATS
     * @param events        sched_ext event counters of this CPU for the attached scheduler, or
     *                      {@code null} when none are readable
     */
    public record Cpu(int cpu, long nrRunning, long scxNrRunning, long localDsqDepth, long scxFlags, long rqClock,
            Schedstat schedstat, long[] events) {
        public Cpu {
            events = events == null ? null : events.clone();
        }
    }

    /** {@code struct rq} schedstat counters, cumulative since boot. */
    public record Schedstat(long runDelayNs, long pcount, long yldCount, long schedCount, long schedGoidle,
            long ttwuCount, long ttwuLocal) {}

    /** Sum over CPUs of the event counter {@code name}, or -1 when this sample has none. */
    public long eventTotal(String name) {
        int i = eventNames.indexOf(name);
        if (i < 0) {
            return -1;
        }
        long sum = 0;
        for (Cpu c : cpus) {
            if (c.events() == null) {
                return -1;
            }
            sum += c.events()[i];
        }
        return sum;
    }
}
