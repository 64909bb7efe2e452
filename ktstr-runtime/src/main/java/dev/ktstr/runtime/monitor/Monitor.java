package dev.ktstr.runtime.monitor;

import dev.ktstr.kvm.engine.GuestMemory;
import dev.ktstr.kvm.introspect.IntrospectException;
import dev.ktstr.kvm.introspect.KernelSymbols;
import dev.ktstr.kvm.introspect.KernelView;
import dev.ktstr.kvm.introspect.ScxEventLayout;
import dev.ktstr.kvm.introspect.Vmlinux;
import dev.ktstr.runtime.result.MonitorSummary;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The host-side monitor of one guest: a daemon thread that takes a {@link Sample} of every runqueue
 * each period straight out of guest memory (the guest does not know) and feeds a {@link
 * MonitorEvaluator}. Samples are taken at a fixed rate; a period that is missed because the host was
 * busy is skipped, not made up in a burst.
 *
 * <p>Lifecycle: {@link #attach} → {@link #start()} → {@link #stop()} → {@link #summary(List)}; {@link
 * #close()} stops the thread and is idempotent. If reading the runqueues fails three times in a row
 * (the guest's memory went away) the thread ends by itself and the summary notes why.
 */
public final class Monitor implements AutoCloseable {

    private static final int MAX_CONSECUTIVE_ERRORS = 3;

    private final Sampler sampler;
    private final MonitorConfig cfg;
    private final MonitorEvaluator evaluator;
    private final ArrayDeque<Sample> recent = new ArrayDeque<>();
    private final List<String> notes = new ArrayList<>();
    private volatile boolean running;
    private Thread thread;
    private long startNanos;
    private boolean clockStarted;
    private long index;

    private Monitor(Sampler sampler, MonitorConfig cfg, int hz) {
        this.sampler = sampler;
        this.cfg = cfg;
        this.evaluator = new MonitorEvaluator(cfg, hz);
        if (!sampler.hasSchedExt()) {
            notes.add("kernel without sched_ext (no rq->scx or scx_root): DSQ depth and event counters not sampled");
        }
        if (sampler.eventLayout() instanceof ScxEventLayout.Unavailable u) {
            notes.add("sched_ext event counters unavailable: " + u.reason());
        }
    }

    /**
     * Attaches to a booted guest. Never throws for a guest it cannot read: it says why instead.
     *
     * @param memory    the guest's RAM
     * @param vmlinux   the kernel the guest runs
     * @param symbols   that kernel's symbols (see {@code SymbolResolver})
     * @param hz        the guest's CONFIG_HZ
     * @param vcpuTimes host CPU time of the vCPU threads ({@code RunningVm::vcpuCpuTimeNs})
     */
    public static MonitorAttach attach(GuestMemory memory, Vmlinux vmlinux, KernelSymbols symbols, int hz,
            MonitorConfig cfg, VcpuTimes vcpuTimes) {
        try {
            return attach(KernelView.attach(memory, vmlinux, symbols), hz, cfg, vcpuTimes);
        } catch (IntrospectException e) {
            return new MonitorAttach.Disabled(e.getMessage());
        } catch (RuntimeException e) {
            return new MonitorAttach.Disabled("unreadable kernel data in " + vmlinux.path() + ": " + e);
        }
    }

    /** Attaches to a kernel view already validated. */
    public static MonitorAttach attach(KernelView kernel, int hz, MonitorConfig cfg, VcpuTimes vcpuTimes) {
        try {
            return new MonitorAttach.Ready(new Monitor(new Sampler(kernel, vcpuTimes), cfg, hz));
        } catch (IntrospectException e) {
            return new MonitorAttach.Disabled(e.getMessage());
        } catch (RuntimeException e) {
            return new MonitorAttach.Disabled("unreadable kernel data: " + e);
        }
    }

    public MonitorConfig config() {
        return cfg;
    }

    /** Starts the sampling thread; time 0 of samples and step windows is now. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("monitor already started");
        }
        startNanos = System.nanoTime();
        clockStarted = true;
        running = true;
        thread = new Thread(this::loop, "ktstr-monitor");
        thread.setDaemon(true);
        thread.start();
    }

    /** {@link System#nanoTime()} at {@link #start()}. */
    public synchronized long startNanos() {
        return startNanos;
    }

    /** Converts a {@link System#nanoTime()} reading to milliseconds since {@link #start()}. */
    public long elapsedMs(long nanoTime) {
        return (nanoTime - startNanos()) / 1_000_000;
    }

    private void loop() {
        long period = cfg.period().toNanos();
        long next = startNanos;
        int errors = 0;
        while (running) {
            long now = System.nanoTime();
            if (now < next) {
                LockSupport.parkNanos(this, next - now);
                continue;
            }
            try {
                sampleOnce(now);
                errors = 0;
            } catch (IntrospectException | RuntimeException e) {
                if (++errors >= MAX_CONSECUTIVE_ERRORS) {
                    synchronized (this) {
                        notes.add("sampling stopped after " + errors + " failed reads in a row: " + e.getMessage());
                    }
                    running = false;
                    return;
                }
            }
            long after = System.nanoTime();
            next += period;
            if (next <= after) {
                next += ((after - next) / period + 1) * period; // skip missed periods
            }
        }
    }

    /**
     * Takes one sample now and feeds it to the evaluator, as the thread does each period: for callers
     * that drive sampling themselves instead of calling {@link #start()}.
     */
    public synchronized Sample sampleOnce() throws IntrospectException {
        if (!clockStarted) {
            startNanos = System.nanoTime();
            clockStarted = true;
        }
        return sampleOnce(System.nanoTime());
    }

    private synchronized Sample sampleOnce(long now) throws IntrospectException {
        Sample s = sampler.sample(index, now - startNanos);
        index++;
        evaluator.accept(s);
        if (cfg.retainedSamples() > 0) {
            if (recent.size() == cfg.retainedSamples()) {
                recent.removeFirst();
            }
            recent.addLast(s);
        }
        return s;
    }

    /** The most recent samples (at most {@link MonitorConfig#retainedSamples()}), oldest first. */
    public synchronized List<Sample> recentSamples() {
        return List.copyOf(recent);
    }

    /** Stops sampling and waits for the thread to end. Idempotent. */
    public void stop() {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
        }
        if (t != null) {
            LockSupport.unpark(t);
            boolean interrupted = false;
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The verdict and figures so far, with per-phase figures for {@code steps}. */
    public MonitorSummary summary(List<StepWindow> steps) {
        return summary(steps, 0);
    }

    /**
     * The verdict and figures so far, with per-phase figures for {@code steps} (windows in {@link
     * #elapsedMs} time) and every time in the summary counted from {@code originMs} (e.g. the
     * scenario's start, so phases and violations line up with the scenario's timeline).
     */
    public synchronized MonitorSummary summary(List<StepWindow> steps, long originMs) {
        MonitorSummary s = evaluator.summary(steps, originMs);
        if (notes.isEmpty()) {
            return s;
        }
        List<String> all = new ArrayList<>(notes);
        all.addAll(s.notes());
        return new MonitorSummary(s.status(), s.samples(), s.periodMs(), s.maxImbalanceRatio(), s.maxLocalDsqDepth(),
                s.stallCount(), s.fallbackTotal(), s.keepLastTotal(), s.phases(), s.violations(), all);
    }

    @Override
    public void close() {
        stop();
    }
}
