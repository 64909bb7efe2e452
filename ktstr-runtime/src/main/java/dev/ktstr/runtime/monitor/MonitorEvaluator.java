package dev.ktstr.runtime.monitor;

import dev.ktstr.kvm.introspect.ScxEventLayout;
import dev.ktstr.runtime.result.MonitorSummary;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a stream of {@link Sample}s into the monitor's verdict and figures (ktstr facts §8, "Monitor
 * checks"). Every check looks only at samples after the warm-up and, unless configured otherwise,
 * only while a sched_ext scheduler is attached; a threshold counts as violated only when it is
 * exceeded in {@code sustainedSamples} consecutive such samples, and each such streak is reported
 * once, when it ends, with its worst value and its time span.
 *
 * <ul>
 *   <li>imbalance: {@code max(nr_running) / max(1, min(nr_running))} across CPUs above the limit (the
 *       violation names the busiest and the idlest CPU of its worst sample);</li>
 *   <li>local DSQ depth: the deepest {@code rq->scx.local_dsq.nr} above the limit;</li>
 *   <li>stall: a CPU's {@code rq->clock} did not move between two samples although it had runnable
 *       tasks in one of them, and its vCPU got at least {@code stallExemptTicks} guest ticks of host CPU
 *       time in between (less means the host preempted the vCPU: not the guest's fault). When one
 *       emulation thread runs all N vCPUs (QEMU TCG {@code thread=single}), per-vCPU time is unknown;
 *       the exemption then requires the shared thread to have run N times that long, i.e. enough for
 *       every vCPU to have had its turn under round-robin, and a note says so;</li>
 *   <li>fallback / keep-last rate: the increase of the summed sched_ext {@code select_cpu_fallback}
 *       / {@code dispatch_keep_last} counters per second between two samples above the limit.</li>
 * </ul>
 *
 * If every rq clock value of every sample is the same, or any local DSQ depth exceeds {@value
 * MonitorConfig#IMPLAUSIBLE_DSQ_DEPTH}, the reader was not looking at live runqueues: the summary is
 * "not initialized" and carries no figures and no violations.
 *
 * <p>Not thread-safe: one evaluator is fed by one thread.
 */
public final class MonitorEvaluator {

    private final MonitorConfig cfg;
    private final long tickNs;
    private final long periodMs;

    private long samples;
    private Sample prev;
    private final List<Digest> digests = new ArrayList<>();
    private final Set<String> notes = new LinkedHashSet<>();
    private final List<Violation> violations = new ArrayList<>();

    private long firstClock;
    private boolean clocksVary;
    private String implausible;

    private final Streak imbalance = new Streak("imbalance");
    private final Streak dsq = new Streak("local DSQ depth");
    private final Streak fallback = new Streak("select_cpu fallback rate");
    private final Streak keepLast = new Streak("dispatch keep-last rate");
    private Streak[] stalls = new Streak[0];
    private final double[] recentRatios;
    private int recentCount;
    private double maxSustainedImbalance;
    private long maxDsq;
    private long stallCount;
    private long fallbackTotal;
    private long keepLastTotal;

    /**
     * @param hz the guest's CONFIG_HZ (the unit of the stall exemption)
     */
    public MonitorEvaluator(MonitorConfig cfg, int hz) {
        if (hz <= 0) {
            throw new IllegalArgumentException("CONFIG_HZ must be positive, got " + hz);
        }
        this.cfg = cfg;
        this.tickNs = 1_000_000_000L / hz;
        this.periodMs = cfg.period().toMillis();
        this.recentRatios = new double[cfg.sustainedSamples()];
    }

    /** One sample's figures, kept for per-phase summaries. */
    private record Digest(long elapsedMs, double meanNr, double ratio, long maxDsq, long fallbackDelta,
            long keepLastDelta) {}

    /** Feeds the next sample (samples must arrive in order). */
    public void accept(Sample s) {
        int n = s.cpus().size();
        if (stalls.length != n) {
            stalls = new Streak[n];
            for (int c = 0; c < n; c++) {
                stalls[c] = new Streak("stall on cpu " + c);
            }
        }
        long maxNr = Long.MIN_VALUE;
        long minNr = Long.MAX_VALUE;
        int maxCpu = -1;
        int minCpu = -1;
        long sumNr = 0;
        long sampleMaxDsq = 0;
        int dsqCpu = -1;
        for (Sample.Cpu c : s.cpus()) {
            if (c.nrRunning() > maxNr) {
                maxNr = c.nrRunning();
                maxCpu = c.cpu();
            }
            if (c.nrRunning() < minNr) {
                minNr = c.nrRunning();
                minCpu = c.cpu();
            }
            sumNr += c.nrRunning();
            if (c.localDsqDepth() > sampleMaxDsq) {
                sampleMaxDsq = c.localDsqDepth();
                dsqCpu = c.cpu();
            }
            if (samples == 0 && c.cpu() == 0) {
                firstClock = c.rqClock();
            } else if (c.rqClock() != firstClock) {
                clocksVary = true;
            }
        }
        if (sampleMaxDsq > MonitorConfig.IMPLAUSIBLE_DSQ_DEPTH && implausible == null) {
            implausible = "local DSQ depth " + sampleMaxDsq + " on cpu " + dsqCpu + " > "
                    + MonitorConfig.IMPLAUSIBLE_DSQ_DEPTH;
        }
        double ratio = n == 0 ? 0 : (double) maxNr / Math.max(1, minNr);
        long elapsedMs = s.elapsedNanos() / 1_000_000;
        if (s.eventsError() != null) {
            notes.add("sched_ext event counters unreadable in some samples: " + s.eventsError());
        }

        long fbDelta = counterDelta(s, ScxEventLayout.SELECT_CPU_FALLBACK);
        long klDelta = counterDelta(s, ScxEventLayout.DISPATCH_KEEP_LAST);
        fallbackTotal += Math.max(0, fbDelta);
        keepLastTotal += Math.max(0, klDelta);
        digests.add(new Digest(elapsedMs, n == 0 ? 0 : (double) sumNr / n, ratio, sampleMaxDsq, Math.max(0, fbDelta),
                Math.max(0, klDelta)));

        boolean checked = samples >= cfg.warmupSamples() && (s.schedExtActive() || cfg.checkDefaultScheduler());
        if (!checked) {
            closeAll();
            recentCount = 0;
        } else {
            recentRatios[recentCount % recentRatios.length] = ratio;
            recentCount++;
            if (recentCount >= recentRatios.length) {
                double sustained = Double.MAX_VALUE;
                for (double r : recentRatios) {
                    sustained = Math.min(sustained, r);
                }
                maxSustainedImbalance = Math.max(maxSustainedImbalance, sustained);
            }
            maxDsq = Math.max(maxDsq, sampleMaxDsq);
            imbalance.observe(ratio > cfg.maxImbalanceRatio(), ratio, elapsedMs,
                    String.format(Locale.ROOT, "> %.1f (cpu %d has %d runnable tasks, cpu %d has %d)",
                            cfg.maxImbalanceRatio(), maxCpu, maxNr, minCpu, minNr));
            dsq.observe(sampleMaxDsq > cfg.maxLocalDsqDepth(), sampleMaxDsq, elapsedMs, "> " + cfg.maxLocalDsqDepth());
            double dt = prev == null ? 0 : (s.elapsedNanos() - prev.elapsedNanos()) / 1e9;
            double fbRate = fbDelta < 0 || dt <= 0 ? 0 : fbDelta / dt;
            double klRate = klDelta < 0 || dt <= 0 ? 0 : klDelta / dt;
            fallback.observe(fbRate > cfg.maxFallbackRate(), fbRate, elapsedMs,
                    String.format(Locale.ROOT, "> %.0f/s", cfg.maxFallbackRate()));
            keepLast.observe(klRate > cfg.maxKeepLastRate(), klRate, elapsedMs,
                    String.format(Locale.ROOT, "> %.0f/s", cfg.maxKeepLastRate()));
            observeStalls(s, elapsedMs);
        }
        prev = s;
        samples++;
    }

    /** Counter increase since the previous sample, or -1 when the two are not comparable. */
    private long counterDelta(Sample s, String counter) {
        if (prev == null || s.scxSched() == 0 || prev.scxSched() != s.scxSched()) {
            return -1;
        }
        long cur = s.eventTotal(counter);
        long before = prev.eventTotal(counter);
        if (cur < 0 || before < 0 || cur < before) {
            return -1;
        }
        return cur - before;
    }

    private void observeStalls(Sample s, long elapsedMs) {
        if (!cfg.failOnStall() || prev == null || prev.cpus().size() != s.cpus().size()) {
            return;
        }
        int n = s.cpus().size();
        long[] v0 = prev.vcpuCpuNanos();
        long[] v1 = s.vcpuCpuNanos();
        boolean perVcpu = v0.length == n && v1.length == n;
        boolean shared = !perVcpu && v0.length == 1 && v1.length == 1 && n > 1;
        if (!perVcpu && !shared) {
            notes.add("stall detection off: " + v1.length + " vCPU thread times for " + n
                    + " CPUs (cannot tell a preempted vCPU from a stalled runqueue)");
            return;
        }
        if (shared) {
            notes.add("one emulation thread runs all " + n + " vCPUs (QEMU TCG): a stall counts only when that thread"
                    + " ran " + n + " x " + cfg.stallExemptTicks() + " guest ticks between samples");
        }
        for (int c = 0; c < n; c++) {
            Sample.Cpu a = prev.cpus().get(c);
            Sample.Cpu b = s.cpus().get(c);
            boolean busy = a.nrRunning() > 0 || b.nrRunning() > 0;
            long ran = perVcpu ? v1[c] - v0[c] : v1[0] - v0[0];
            long needed = cfg.stallExemptTicks() * tickNs * (perVcpu ? 1 : n);
            boolean stalled = busy && a.rqClock() == b.rqClock() && ran >= needed;
            stalls[c].observe(stalled, b.nrRunning(), elapsedMs, "runnable with rq clock stuck at " + b.rqClock());
        }
    }

    private void closeAll() {
        imbalance.close();
        dsq.close();
        fallback.close();
        keepLast.close();
        for (Streak st : stalls) {
            st.close();
        }
    }

    /** The summary of everything accepted so far, with per-phase figures for {@code steps}. */
    public MonitorSummary summary(List<StepWindow> steps) {
        return summary(steps, 0);
    }

    /**
     * The summary with every time (phase bounds, violation spans) counted from {@code originMs} on the
     * samples' clock instead of from the first sample: the runner puts them on its scenario timeline.
     *
     * @param steps    step windows on the samples' clock (they select each phase's samples)
     * @param originMs where time 0 of the summary is on the samples' clock
     */
    public MonitorSummary summary(List<StepWindow> steps, long originMs) {
        List<Violation> all = new ArrayList<>(violations);
        long stallsFound = stallCount;
        for (Streak st : List.of(imbalance, dsq, fallback, keepLast)) {
            st.pending().ifPresent(all::add);
        }
        for (Streak st : stalls) {
            if (st.pending().isPresent()) {
                all.add(st.pending().get());
                stallsFound++;
            }
        }
        List<String> found = all.stream().map(v -> v.text(originMs)).toList();
        List<String> n = new ArrayList<>(notes);
        if (samples == 0) {
            return new MonitorSummary("not initialized: no samples taken", 0, periodMs, 0, 0, 0, 0, 0, List.of(),
                    List.of(), n);
        }
        if (!clocksVary || implausible != null) {
            String why = implausible != null ? implausible
                    : "every rq clock reads " + firstClock + " in all " + samples + " samples";
            return new MonitorSummary("not initialized: " + why, samples, periodMs, 0, 0, 0, 0, 0, List.of(), List.of(),
                    n);
        }
        if (samples <= cfg.warmupSamples()) {
            n.add("only " + samples + " samples, all within the " + cfg.warmupSamples() + "-sample warm-up: no check ran");
        }
        List<MonitorSummary.Phase> phases = new ArrayList<>();
        for (StepWindow w : steps) {
            long count = 0;
            double meanSum = 0;
            double maxRatio = 0;
            long phaseDsq = 0;
            long fb = 0;
            long kl = 0;
            for (Digest d : digests) {
                if (w.contains(d.elapsedMs())) {
                    count++;
                    meanSum += d.meanNr();
                    maxRatio = Math.max(maxRatio, d.ratio());
                    phaseDsq = Math.max(phaseDsq, d.maxDsq());
                    fb += d.fallbackDelta();
                    kl += d.keepLastDelta();
                }
            }
            phases.add(new MonitorSummary.Phase(w.step(), w.startMs() - originMs, w.endMs() - originMs,
                    count == 0 ? 0 : meanSum / count, maxRatio, phaseDsq, fb, kl));
        }
        return new MonitorSummary("ok", samples, periodMs, maxSustainedImbalance, maxDsq, stallsFound, fallbackTotal,
                keepLastTotal, phases, found, n);
    }

    /** A run of consecutive violating samples of one check. */
    private final class Streak {
        private final String what;
        private int count;
        private long startMs;
        private long endMs;
        private double worst;
        private String detail;

        Streak(String what) {
            this.what = what;
        }

        void observe(boolean violating, double value, long atMs, String limit) {
            if (!violating) {
                close();
                return;
            }
            if (count == 0) {
                startMs = atMs;
                worst = value;
            }
            count++;
            endMs = atMs;
            if (value >= worst) {
                worst = value;
                detail = limit;
            }
        }

        /** The violation this streak amounts to so far, if it is long enough. */
        Optional<Violation> pending() {
            if (count < cfg.sustainedSamples()) {
                return Optional.empty();
            }
            String value = what.startsWith("stall") ? (long) worst + " tasks " + detail
                    : (worst == Math.rint(worst) ? String.valueOf((long) worst)
                            : String.format(Locale.ROOT, "%.2f", worst)) + " " + detail;
            return Optional.of(new Violation(what, value, count, startMs, endMs));
        }

        /** Ends the streak, recording its violation if it was long enough. */
        void close() {
            Optional<Violation> v = pending();
            if (v.isPresent()) {
                violations.add(v.get());
                if (what.startsWith("stall")) {
                    stallCount++;
                }
            }
            count = 0;
        }
    }

    /** A sustained violation: the check, its worst value with the limit, and when (samples' clock). */
    private record Violation(String what, String value, int count, long startMs, long endMs) {
        String text(long originMs) {
            return String.format(Locale.ROOT, "%s: %s for %d consecutive samples (%+.1fs..%+.1fs)", what, value, count,
                    (startMs - originMs) / 1000.0, (endMs - originMs) / 1000.0);
        }
    }
}
