package dev.ktstr.runtime.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktstr.kvm.introspect.ScxEventLayout;
import dev.ktstr.runtime.result.MonitorSummary;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MonitorEvaluatorTest {

    private static final long SCHED = 0xffff888001234000L;
    private static final List<String> EVENTS = List.of(ScxEventLayout.SELECT_CPU_FALLBACK,
            ScxEventLayout.DISPATCH_KEEP_LAST);
    private static final MonitorConfig CFG = MonitorConfig.defaults();

    /** A builder of a run of samples, 100 ms apart, on {@code cpus} CPUs. */
    private static final class Run {
        final int cpus;
        final List<Sample> samples = new ArrayList<>();
        long[] clock;
        long[] vcpu;
        long fallback;
        long keepLast;
        long sched = SCHED;
        boolean events = true;

        Run(int cpus) {
            this.cpus = cpus;
            clock = new long[cpus];
            vcpu = new long[cpus];
        }

        /** One sample; clocks and vCPU times of every CPU advance by 100 ms unless {@code stuck}. */
        Run add(long[] nr, long[] dsq, long fallbackDelta, long keepLastDelta, int... stuck) {
            long index = samples.size();
            fallback += fallbackDelta;
            keepLast += keepLastDelta;
            List<Sample.Cpu> cs = new ArrayList<>();
            for (int c = 0; c < cpus; c++) {
                int cc = c;
                if (java.util.Arrays.stream(stuck).noneMatch(x -> x == cc)) {
                    clock[c] += 100_000_000L;
                }
                vcpu[c] += 100_000_000L;
                long[] ev = events ? new long[] {c == 0 ? fallback : 0, c == 0 ? keepLast : 0} : null;
                cs.add(new Sample.Cpu(c, nr[c], nr[c], dsq[c], 0, 1_000_000L + clock[c], null, ev));
            }
            samples.add(new Sample(index, index * 100_000_000L, sched, events ? EVENTS : List.of(), cs, vcpu.clone(),
                    null));
            return this;
        }

        Run repeat(int times, long[] nr, long[] dsq, long fallbackDelta, long keepLastDelta, int... stuck) {
            for (int i = 0; i < times; i++) {
                add(nr, dsq, fallbackDelta, keepLastDelta, stuck);
            }
            return this;
        }

        MonitorSummary evaluate(MonitorConfig cfg, List<StepWindow> steps) {
            MonitorEvaluator e = new MonitorEvaluator(cfg, 250);
            samples.forEach(e::accept);
            return e.summary(steps);
        }

        MonitorSummary evaluate() {
            return evaluate(CFG, List.of());
        }
    }

    private static long[] of(long... v) {
        return v;
    }

    private static final long[] BALANCED = {2, 2};
    private static final long[] PILED = {6, 1};
    private static final long[] NO_DSQ = {0, 0};

    @Test
    void balancedRunPasses() {
        MonitorSummary s = new Run(2).repeat(40, BALANCED, NO_DSQ, 1, 1).evaluate();
        assertEquals("ok", s.status());
        assertEquals(List.of(), s.violations());
        assertEquals(40, s.samples());
        assertEquals(1.0, s.maxImbalanceRatio());
        assertEquals(39, s.fallbackTotal(), "counter increase over the run");
    }

    @Test
    void imbalanceMustBeSustainedAndAfterWarmup() {
        MonitorSummary inWarmup = new Run(2).repeat(10, PILED, NO_DSQ, 0, 0).repeat(30, BALANCED, NO_DSQ, 0, 0)
                .evaluate();
        assertEquals(List.of(), inWarmup.violations(), "the first 20 samples are warm-up");

        MonitorSummary brief = new Run(2).repeat(25, BALANCED, NO_DSQ, 0, 0).repeat(4, PILED, NO_DSQ, 0, 0)
                .repeat(5, BALANCED, NO_DSQ, 0, 0).evaluate();
        assertEquals(List.of(), brief.violations(), "4 samples are not sustained");
        assertEquals(1.0, brief.maxImbalanceRatio(), "a 4-sample spike is not a sustained imbalance");

        MonitorSummary sustained = new Run(2).repeat(25, BALANCED, NO_DSQ, 0, 0).repeat(5, PILED, NO_DSQ, 0, 0)
                .repeat(5, BALANCED, NO_DSQ, 0, 0).evaluate();
        assertEquals(1, sustained.violations().size(), sustained.violations().toString());
        assertEquals("imbalance: 6 > 4.0 (cpu 0 has 6 runnable tasks, cpu 1 has 1) for 5 consecutive samples"
                + " (+2.5s..+2.9s)", sustained.violations().get(0));
        assertEquals(6.0, sustained.maxImbalanceRatio());

        MonitorSummary openAtEnd = new Run(2).repeat(25, BALANCED, NO_DSQ, 0, 0).repeat(6, of(5, 0), NO_DSQ, 0, 0)
                .evaluate();
        assertEquals(1, openAtEnd.violations().size(), "a streak still open at the end counts");
        assertTrue(openAtEnd.violations().get(0).startsWith("imbalance: 5 > 4.0 (cpu 0 has 5 runnable tasks, cpu 1 has 0) for 6"), openAtEnd.violations().get(0));
    }

    @Test
    void deepLocalDsqFails() {
        MonitorSummary s = new Run(2).repeat(25, BALANCED, NO_DSQ, 0, 0).repeat(5, BALANCED, of(3, 51), 0, 0)
                .evaluate();
        assertEquals(51, s.maxLocalDsqDepth());
        assertEquals(List.of("local DSQ depth: 51 > 50 for 5 consecutive samples (+2.5s..+2.9s)"), s.violations());
    }

    @Test
    void eventRatesAboveLimitFail() {
        // 30 fallbacks per 100 ms = 300/s > 200/s; 5 keep-lasts per 100 ms = 50/s < 100/s.
        MonitorSummary s = new Run(2).repeat(25, BALANCED, NO_DSQ, 0, 0).repeat(6, BALANCED, NO_DSQ, 30, 5)
                .evaluate();
        assertEquals(1, s.violations().size(), s.violations().toString());
        assertTrue(s.violations().get(0).startsWith("select_cpu fallback rate: 300 > 200/s for 6"),
                s.violations().get(0));
        assertEquals(180, s.fallbackTotal());
        assertEquals(30, s.keepLastTotal());
    }

    @Test
    void counterResetOfANewSchedulerInstanceIsNotNegative() {
        Run r = new Run(2).repeat(25, BALANCED, NO_DSQ, 10, 0);
        r.sched = SCHED + 4096;
        r.fallback = 0;
        r.repeat(5, BALANCED, NO_DSQ, 10, 0);
        MonitorSummary s = r.evaluate();
        assertEquals(24 * 10 + 4 * 10, s.fallbackTotal(), "the sample that switches instance adds nothing");
    }

    @Test
    void stallNeedsABusyCpuWhoseVcpuRan() {
        MonitorSummary stalled = new Run(2).repeat(25, BALANCED, NO_DSQ, 0, 0).repeat(6, BALANCED, NO_DSQ, 0, 0, 1)
                .evaluate();
        assertEquals(1, stalled.stallCount());
        assertTrue(stalled.violations().get(0).startsWith("stall on cpu 1: 2 tasks runnable with rq clock stuck at"),
                stalled.violations().get(0));

        MonitorSummary idle = new Run(2).repeat(25, BALANCED, NO_DSQ, 0, 0).repeat(6, of(2, 0), NO_DSQ, 0, 0, 1)
                .evaluate();
        assertEquals(0, idle.stallCount(), "an idle CPU's clock may stop (NO_HZ)");

        Run preempted = new Run(2).repeat(25, BALANCED, NO_DSQ, 0, 0);
        for (int i = 0; i < 6; i++) {
            preempted.add(BALANCED, NO_DSQ, 0, 0, 1);
            preempted.vcpu[1] -= 100_000_000L - 39_000_000L; // the vCPU got only 39 ms < 10 ticks at HZ 250
            preempted.samples.set(preempted.samples.size() - 1, withVcpu(preempted.samples.get(
                    preempted.samples.size() - 1), preempted.vcpu.clone()));
        }
        assertEquals(0, preempted.evaluate().stallCount(), "a preempted vCPU is exempt");

        MonitorSummary noStallCheck = new Run(2).repeat(25, BALANCED, NO_DSQ, 0, 0)
                .repeat(6, BALANCED, NO_DSQ, 0, 0, 1).evaluate(CFG.withFailOnStall(false), List.of());
        assertEquals(0, noStallCheck.stallCount());
    }

    @Test
    void sharedEmulationThreadNeedsEveryVcpusShare() {
        // One TCG thread for 4 vCPUs: it ran 100 ms per period, less than 4 x 40 ms, so a stuck clock
        // cannot be blamed on the guest; at 200 ms per period it can.
        MonitorSummary slow = tcgRun(100_000_000L);
        assertEquals(0, slow.stallCount());
        assertTrue(slow.notes().stream().anyMatch(n -> n.contains("one emulation thread runs all 4 vCPUs")),
                slow.notes().toString());
        assertEquals(1, tcgRun(200_000_000L).stallCount());
    }

    private static MonitorSummary tcgRun(long threadNsPerPeriod) {
        Run r = new Run(4).repeat(31, of(1, 1, 1, 1), of(0, 0, 0, 0), 0, 0);
        List<Sample> shared = new ArrayList<>();
        long t = 0;
        for (Sample s : r.samples) {
            t += threadNsPerPeriod;
            List<Sample.Cpu> cs = new ArrayList<>(s.cpus());
            if (s.index() >= 25) {
                Sample.Cpu c = cs.get(2);
                cs.set(2, new Sample.Cpu(2, 1, 1, 0, 0, 424242, null, c.events()));
            }
            shared.add(new Sample(s.index(), s.elapsedNanos(), s.scxSched(), s.eventNames(), cs, new long[] {t}, null));
        }
        MonitorEvaluator e = new MonitorEvaluator(CFG, 250);
        shared.forEach(e::accept);
        return e.summary(List.of());
    }

    private static Sample withVcpu(Sample s, long[] vcpu) {
        return new Sample(s.index(), s.elapsedNanos(), s.scxSched(), s.eventNames(), s.cpus(), vcpu, s.eventsError());
    }

    @Test
    void unknownVcpuTimesTurnStallDetectionOffWithANote() {
        Run r = new Run(2).repeat(25, BALANCED, NO_DSQ, 0, 0).repeat(6, BALANCED, NO_DSQ, 0, 0, 1);
        List<Sample> blind = r.samples.stream().map(s -> withVcpu(s, new long[0])).toList();
        MonitorEvaluator e = new MonitorEvaluator(CFG, 250);
        blind.forEach(e::accept);
        MonitorSummary s = e.summary(List.of());
        assertEquals(0, s.stallCount());
        assertTrue(s.notes().stream().anyMatch(n -> n.startsWith("stall detection off")), s.notes().toString());
    }

    @Test
    void defaultSchedulerIsNotCheckedUnlessAsked() {
        Run r = new Run(2);
        r.sched = 0;
        r.events = false;
        r.repeat(25, BALANCED, NO_DSQ, 0, 0).repeat(5, PILED, NO_DSQ, 0, 0);
        assertEquals(List.of(), r.evaluate().violations());
        assertEquals(1, r.evaluate(CFG.withCheckDefaultScheduler(true), List.of()).violations().size());
    }

    @Test
    void garbageReadsMakeTheWholeReportNotInitialized() {
        Run frozen = new Run(2).repeat(30, PILED, NO_DSQ, 0, 0, 0, 1);
        MonitorSummary s = frozen.evaluate();
        assertTrue(s.status().startsWith("not initialized: every rq clock reads"), s.status());
        assertEquals(List.of(), s.violations(), "no checks on samples that cannot be trusted");

        MonitorSummary deep = new Run(2).repeat(25, BALANCED, NO_DSQ, 0, 0).repeat(5, BALANCED, of(0, 10_001), 0, 0)
                .evaluate();
        assertEquals("not initialized: local DSQ depth 10001 on cpu 1 > 10000", deep.status());
        assertEquals(0, deep.maxLocalDsqDepth());
    }

    @Test
    void phasesSummariseTheirOwnWindow() {
        Run r = new Run(2).repeat(25, BALANCED, NO_DSQ, 1, 0).repeat(10, PILED, of(4, 0), 3, 2);
        MonitorSummary s = r.evaluate(CFG, List.of(new StepWindow(0, 0, 2500), new StepWindow(1, 2500, 3500)));
        MonitorSummary.Phase p0 = s.phases().get(0);
        MonitorSummary.Phase p1 = s.phases().get(1);
        assertEquals(2.0, p0.meanNrRunning());
        assertEquals(1.0, p0.maxImbalanceRatio());
        assertEquals(24, p0.fallbackDelta());
        assertEquals(3.5, p1.meanNrRunning());
        assertEquals(6.0, p1.maxImbalanceRatio());
        assertEquals(4, p1.maxLocalDsqDepth());
        assertEquals(30, p1.fallbackDelta());
        assertEquals(20, p1.keepLastDelta());
    }

    @Test
    void timesCanBeCountedFromTheScenariosStart() {
        Run r = new Run(2).repeat(25, BALANCED, NO_DSQ, 0, 0).repeat(10, PILED, NO_DSQ, 0, 0);
        MonitorEvaluator e = new MonitorEvaluator(CFG, 250);
        r.samples.forEach(e::accept);
        // The scenario started 1.2 s into monitoring; its steps ran +0..+1.3 s and +1.3..+2.3 s.
        MonitorSummary s = e.summary(List.of(new StepWindow(0, 1200, 2500), new StepWindow(1, 2500, 3500)), 1200);
        assertEquals(List.of("imbalance: 6 > 4.0 (cpu 0 has 6 runnable tasks, cpu 1 has 1) for 10 consecutive samples"
                + " (+1.3s..+2.2s)"), s.violations());
        assertEquals(0, s.phases().get(0).startMs());
        assertEquals(1300, s.phases().get(0).endMs());
        assertEquals(1300, s.phases().get(1).startMs());
        assertEquals(6.0, s.phases().get(1).maxImbalanceRatio(), "the samples are still chosen on their own clock");
        assertEquals(List.of("imbalance: 6 > 4.0 (cpu 0 has 6 runnable tasks, cpu 1 has 1) for 10 consecutive samples"
                + " (-0.7s..+0.2s)"), e.summary(List.of(), 3200).violations(), "before the origin: negative");
    }
}
