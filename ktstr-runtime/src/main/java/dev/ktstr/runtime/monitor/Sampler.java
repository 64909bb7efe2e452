package dev.ktstr.runtime.monitor;

import dev.ktstr.kvm.introspect.IntrospectException;
import dev.ktstr.kvm.introspect.KernelView;
import dev.ktstr.kvm.introspect.RunqueueLayout;
import dev.ktstr.kvm.introspect.ScalarField;
import dev.ktstr.kvm.introspect.ScxEventLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Takes one {@link Sample} out of guest memory: for each CPU, one read of the span of {@code struct rq}
 * that holds every sampled field, decoded with offsets from BTF; then, when a sched_ext scheduler is
 * attached, one read of each CPU's {@code struct scx_event_stats}. Never writes to the guest.
 *
 * <p>Not thread-safe: one sampler belongs to one sampling thread (it reuses its buffers).
 */
public final class Sampler {

    private final KernelView kernel;
    private final RunqueueLayout rq;
    private final ScxEventLayout events;
    private final List<String> eventNames;
    private final long runqueues;
    private final Optional<Long> scxRoot;
    private final VcpuTimes vcpuTimes;
    private final byte[] rqBuf;
    private final byte[] statsBuf;

    /**
     * @param kernel    the attached guest kernel
     * @param vcpuTimes host CPU time of the vCPU threads
     */
    public Sampler(KernelView kernel, VcpuTimes vcpuTimes) throws IntrospectException {
        this.kernel = kernel;
        this.rq = RunqueueLayout.resolve(kernel.btf());
        this.events = ScxEventLayout.resolve(kernel.btf());
        this.eventNames = events.counters().stream().map(ScxEventLayout.Counter::name).toList();
        this.runqueues = kernel.symbol("runqueues");
        this.scxRoot = rq.scx().isPresent() ? kernel.symbols().find("scx_root") : Optional.empty();
        this.vcpuTimes = vcpuTimes;
        this.rqBuf = new byte[rq.spanBytes()];
        this.statsBuf = new byte[(int) events.statsSize()];
        // Fail now, not in the sampling thread, if the runqueues are not where the symbols say.
        kernel.read(kernel.perCpu(runqueues, kernel.nrCpuIds() - 1) + rq.spanStart(), rqBuf, 0, rqBuf.length);
    }

    public RunqueueLayout runqueueLayout() {
        return rq;
    }

    public ScxEventLayout eventLayout() {
        return events;
    }

    /** Whether {@code rq->scx} and {@code scx_root} are both known (sched_ext fields can be read). */
    public boolean hasSchedExt() {
        return scxRoot.isPresent();
    }

    /** Reads one sample. Event counters that cannot be read leave {@link Sample#eventsError()} set. */
    public Sample sample(long index, long elapsedNanos) throws IntrospectException {
        long[] vcpu = vcpuTimes.vcpuCpuTimeNs();
        int n = kernel.nrCpuIds();
        long sched = scxRoot.isPresent() ? kernel.u64(scxRoot.get()) : 0;
        long[][] counters = null;
        String eventsError = null;
        if (sched != 0 && !eventNames.isEmpty()) {
            try {
                counters = readEvents(sched, n);
            } catch (IntrospectException e) {
                eventsError = e.getMessage();
            }
        } else if (sched != 0) {
            eventsError = "sched_ext event counters unavailable: " + ((ScxEventLayout.Unavailable) events).reason();
        }
        List<Sample.Cpu> cpus = new ArrayList<>(n);
        long start = rq.spanStart();
        for (int cpu = 0; cpu < n; cpu++) {
            kernel.read(kernel.perCpu(runqueues, cpu) + start, rqBuf, 0, rqBuf.length);
            long scxNr = -1;
            long dsq = -1;
            long flags = 0;
            if (rq.scx().isPresent()) {
                RunqueueLayout.Scx s = rq.scx().get();
                scxNr = s.nrRunning().get(rqBuf, start);
                dsq = s.localDsqDepth().get(rqBuf, start);
                flags = s.flags().get(rqBuf, start);
            }
            Sample.Schedstat ss = null;
            if (rq.schedstat().isPresent()) {
                RunqueueLayout.Schedstat s = rq.schedstat().get();
                ss = new Sample.Schedstat(s.runDelay().get(rqBuf, start), s.pcount().get(rqBuf, start),
                        s.yldCount().get(rqBuf, start), s.schedCount().get(rqBuf, start),
                        s.schedGoidle().get(rqBuf, start), s.ttwuCount().get(rqBuf, start),
                        s.ttwuLocal().get(rqBuf, start));
            }
            cpus.add(new Sample.Cpu(cpu, rq.nrRunning().get(rqBuf, start), scxNr, dsq, flags,
                    rq.clock().get(rqBuf, start), ss, counters == null ? null : counters[cpu]));
        }
        return new Sample(index, elapsedNanos, sched, counters == null ? List.of() : eventNames, cpus,
                vcpu == null ? new long[0] : vcpu, eventsError);
    }

    private long[][] readEvents(long sched, int n) throws IntrospectException {
        long[][] out = new long[n][];
        List<ScxEventLayout.Counter> cs = events.counters();
        for (int cpu = 0; cpu < n; cpu++) {
            kernel.read(events.statsAddress(kernel, sched, cpu), statsBuf, 0, statsBuf.length);
            long[] v = new long[cs.size()];
            for (int i = 0; i < v.length; i++) {
                ScalarField f = cs.get(i).field();
                v[i] = f.get(statsBuf, 0);
            }
            out[cpu] = v;
        }
        return out;
    }
}
